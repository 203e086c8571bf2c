package io.termsgate.receivables;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How receivables files from the ERP are imported. The body's byte cap is {@code termsgate.http.max-receivables-body}.
 *
 * @param maxRows the most rows one file may hold; a longer file is refused with 413 (split it). The file is
 *     streamed, but the duplicate check keeps about 25 bytes per row in memory while a file is read
 * @param batchSize rows written to the database per batch
 */
@Validated
@ConfigurationProperties("termsgate.receivables")
record ReceivablesProperties(
        @DefaultValue("1000000") @Min(1) @Max(50_000_000) int maxRows,
        @DefaultValue("1000") @Min(1) @Max(10_000) int batchSize) {}
