package io.termsgate.engine;

import java.math.BigDecimal;

/** One approver level asked about one referred case, with the terms it would grant. */
public record AuthorityQuestion(
        ApprovalRoute level,
        BigDecimal orderAmount,
        String riskGrade,
        BigDecimal creditLimit,
        int termDays,
        BigDecimal overLimitShare) {}
