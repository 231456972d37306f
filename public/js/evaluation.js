// Evaluation page: draws the charts from the JSON in each canvas's data-chart attribute (the same
// numbers are in the table beside it) when their section is first opened, opens every form and
// question on a wide screen, keeps a picture of every chart for printing, and wires the print and "open all"
// buttons. Without this file the page still shows every number, folded per form and question.
(function () {
  'use strict';
  const palette = ['#0b6e4f', '#5fa777', '#e0a526', '#c8553d', '#6b7280', '#1d4ed8', '#7c3aed', '#be185d', '#0e7490', '#854d0e'];
  const pairColors = ['#9ca3af', '#0b6e4f'];
  const folds = () => document.querySelectorAll('.evaluation details.question-block, .evaluation details.form-fold');
  const Chart = typeof window.Chart === 'function' ? window.Chart : null;
  const charts = new Map();

  if (Chart) {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = 13;
    Chart.defaults.color = '#1f2328';
  }

  /** An image copy of the chart, shown instead of the canvas when printing. */
  function printCopy(canvas) {
    const img = document.createElement('img');
    img.className = 'chart-print';
    img.alt = canvas.getAttribute('aria-label') || '';
    canvas.after(img);
    let timer = 0;
    return {
      id: 'printCopy',
      afterRender(chart) {
        // Print hides the canvas (and may shrink it to nothing): keep the last picture from the screen.
        if (!chart.width || !chart.height || canvas.offsetParent === null) return;
        clearTimeout(timer);
        timer = setTimeout(() => {
          img.src = chart.toBase64Image('image/png');
        }, 50);
      },
    };
  }

  /** Draws the chart of one canvas once; a canvas still folded away waits until it is shown. */
  function draw(canvas) {
    if (!Chart || charts.has(canvas) || canvas.offsetParent === null) return;
    let spec;
    try {
      spec = JSON.parse(canvas.getAttribute('data-chart') || '');
    } catch {
      return;
    }
    const box = canvas.parentElement;
    const isPie = spec.type === 'pie';
    const paired = spec.datasets.length > 1;
    if (!isPie && box) box.style.height = `${Math.max(140, 48 + spec.labels.length * (paired ? 44 : 34))}px`;
    const datasets = spec.datasets.map((d, i) => ({
      label: d.label,
      data: d.data,
      backgroundColor: paired ? pairColors[i % 2] : isPie ? spec.labels.map((_, j) => palette[j % palette.length]) : palette[0],
      borderColor: '#ffffff',
      borderWidth: isPie ? 2 : 0,
      maxBarThickness: 28,
    }));
    const percentOf = (index) => (spec.percents ? ` (${spec.percents[index]}%)` : '');
    const chart = new Chart(canvas, {
      type: isPie ? 'pie' : 'bar',
      data: { labels: spec.labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: isPie ? undefined : 'y',
        plugins: {
          legend: { display: isPie || paired, position: 'bottom', labels: { boxWidth: 14 } },
          tooltip: {
            callbacks: {
              label: (item) =>
                `${paired ? `${item.dataset.label}: ` : ''}${item.formattedValue}${spec.unit || ''}${paired ? '' : percentOf(item.dataIndex)}`,
            },
          },
        },
        scales: isPie
          ? {}
          : {
              x: {
                beginAtZero: true,
                max: spec.unit === '%' ? 100 : undefined,
                ticks: { precision: 0, callback: (v) => `${v}${spec.unit || ''}` },
              },
              y: { ticks: { autoSkip: false } },
            },
      },
      plugins: [printCopy(canvas)],
    });
    charts.set(canvas, chart);
  }

  const drawIn = (root) => root.querySelectorAll('canvas[data-chart]').forEach(draw);

  for (const details of folds()) details.addEventListener('toggle', () => details.open && drawIn(details));

  // A wide screen has room for everything: questions start open there, folded on a phone.
  if (window.matchMedia('(min-width: 720px)').matches) for (const details of folds()) details.open = true;
  drawIn(document);

  const toggleAll = document.querySelector('[data-toggle-all]');
  if (toggleAll) {
    toggleAll.hidden = false;
    const allOpen = () => [...folds()].every((d) => d.open);
    const label = () => {
      toggleAll.textContent = toggleAll.getAttribute(allOpen() ? 'data-close-label' : 'data-open-label');
    };
    label();
    toggleAll.addEventListener('click', () => {
      const open = !allOpen();
      for (const details of folds()) details.open = open;
      label();
    });
    for (const details of folds()) details.addEventListener('toggle', label);
  }

  /** Opens every section and draws every chart now (a print has no time to wait for a toggle). */
  function openEverything() {
    for (const details of document.querySelectorAll('.evaluation details')) details.open = true;
    drawIn(document);
    for (const chart of charts.values()) {
      chart.resize();
      const img = chart.canvas.nextElementSibling;
      if (img && img.classList.contains('chart-print')) img.src = chart.toBase64Image('image/png');
    }
  }
  window.addEventListener('beforeprint', openEverything);

  const printButton = document.querySelector('[data-print]');
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener('click', () => {
      openEverything();
      const pictures = [...document.querySelectorAll('img.chart-print')].map((img) => (img.decode ? img.decode().catch(() => {}) : null));
      Promise.all(pictures).then(() => window.print());
    });
  }
})();
