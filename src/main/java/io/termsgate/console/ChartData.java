package io.termsgate.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chart as the page hands it to Chart.js: labels, datasets with their numbers and a colour class, as JSON in a
 * {@code data-chart} attribute that static/console/console.js turns into a chart. The same numbers are always in
 * a table beside it, for screen readers and for anyone who wants to copy them.
 */
final class ChartData {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String title;
    private final List<String> labels;
    private final boolean stacked;
    private final List<Map<String, Object>> datasets = new ArrayList<>();

    private ChartData(String title, List<String> labels, boolean stacked) {
        this.title = title;
        this.labels = List.copyOf(labels);
        this.stacked = stacked;
    }

    static ChartData bar(String title, List<String> labels, boolean stacked) {
        return new ChartData(title, labels, stacked);
    }

    /**
     * @param tone a colour name the script knows (approved, referred, declined, changed, unchanged, up, down)
     */
    ChartData dataset(String label, String tone, List<? extends Number> data) {
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("label", label);
        dataset.put("tone", tone);
        dataset.put("data", data);
        datasets.add(dataset);
        return this;
    }

    /** One dataset whose bars have a colour each. */
    ChartData dataset(String label, List<String> tones, List<? extends Number> data) {
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("label", label);
        dataset.put("tones", tones);
        dataset.put("data", data);
        datasets.add(dataset);
        return this;
    }

    public String getTitle() {
        return title;
    }

    public String getJson() {
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("title", title);
        chart.put("labels", labels);
        chart.put("stacked", stacked);
        chart.put("datasets", datasets);
        try {
            return JSON.writeValueAsString(chart);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
