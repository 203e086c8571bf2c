// The console's only script: CSRF token on htmx requests, charts from data-chart attributes, confirmations.
// No build step: plain JavaScript, with htmx and Chart.js served from WebJars.
(function () {
    'use strict';

    var TONES = {
        approved: '#2e7d32', referred: '#e08a00', declined: '#c62828',
        changed: '#1f5fae', unchanged: '#a8a8a8', up: '#2e7d32', down: '#c62828'
    };

    // Spring Security expects the CSRF token on every request that changes something; htmx sends it as a header.
    document.addEventListener('htmx:configRequest', function (event) {
        var token = document.querySelector('meta[name="_csrf"]');
        var header = document.querySelector('meta[name="_csrf_header"]');
        if (token && header) {
            event.detail.headers[header.content] = token.content;
        }
    });

    function colour(dataset) {
        if (dataset.tones) {
            return dataset.tones.map(function (tone) { return TONES[tone] || '#555'; });
        }
        return TONES[dataset.tone] || '#555';
    }

    function drawCharts(root) {
        if (!window.Chart) {
            return;
        }
        root.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
            if (window.Chart.getChart(canvas)) {
                return;
            }
            var spec = JSON.parse(canvas.getAttribute('data-chart'));
            new window.Chart(canvas, {
                type: 'bar',
                data: {
                    labels: spec.labels,
                    datasets: spec.datasets.map(function (d) {
                        return { label: d.label, data: d.data, backgroundColor: colour(d) };
                    })
                },
                options: {
                    animation: false,
                    responsive: true,
                    maintainAspectRatio: false,
                    plugins: { legend: { display: spec.datasets.length > 1 } },
                    scales: {
                        x: { stacked: spec.stacked },
                        y: { stacked: spec.stacked, beginAtZero: true, ticks: { precision: 0 } }
                    }
                }
            });
        });
    }

    // A button that changes what decides (activate, roll back) asks once more.
    document.addEventListener('submit', function (event) {
        var question = event.target.getAttribute('data-confirm');
        if (question && !window.confirm(question)) {
            event.preventDefault();
        }
    });

    document.addEventListener('DOMContentLoaded', function () { drawCharts(document); });
    document.addEventListener('htmx:afterSettle', function (event) { drawCharts(event.target); });
})();
