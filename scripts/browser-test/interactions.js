// Drives the alignment viewer's sample page (Tests/FiguresTests/ViewerSample.swift) as a
// person would: hovering, clicking, typing, picking a head. scripts/browser-test.sh puts
// this script at the end of a copy of the page; it writes one PASS or FAIL line per check
// into a hidden <pre id="browser-test-results">, which Chromium's --dump-dom prints. It
// leaves the page in a state worth a screenshot: the hospital sentence, a word followed,
// a cell hovered.
(() => {
  'use strict';
  const results = [];
  const $ = (id) => document.getElementById(id);
  const all = (selector) => [...document.querySelectorAll(selector)];
  const check = (name, ok, detail) => results.push(ok ? `PASS ${name}` : `FAIL ${name}: ${JSON.stringify(detail)}`);
  const data = JSON.parse($('viewer-data').textContent);
  const mouse = (node, type) => {
    const box = node.getBoundingClientRect();
    node.dispatchEvent(new MouseEvent(type, { bubbles: true, clientX: box.x + box.width / 2, clientY: box.y + box.height / 2 }));
  };
  const key = (node, name) => node.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true }));
  const texts = (axis) => all(`#viewer-grid .word[data-axis="${axis}"] text`).map((text) => text.textContent);
  const word = (axis, index) => document.querySelector(`#viewer-grid .word[data-axis="${axis}"][data-index="${index}"]`);
  const cell = (i, j) => document.querySelector(`#viewer-grid .cell[data-i="${i}"][data-j="${j}"]`);
  const opacity = (axis, index) => Number(word(axis, index).querySelector('.shade').style.fillOpacity || 0);
  const darkness = (rect) => getComputedStyle(rect).fill.match(/\d+/g).slice(0, 3).reduce((sum, v) => sum - Number(v), 765);
  const listButton = (number) => document.querySelector(`#viewer-list button[data-index="${number - 1}"]`);
  const search = (text) => { $('viewer-search').value = text; $('viewer-search').dispatchEvent(new Event('input')); };

  function firstSentence() {
    const [sentence] = data.sentences, weights = sentence.matrices[0].weights;
    check('the page says it is ready and shows no error', document.body.dataset.viewer === 'ready' && $('viewer-error').hidden, $('viewer-error').textContent);
    check('the list has every sentence', all('#viewer-list li').length === data.sentences.length, all('#viewer-list li').length);
    check('source words across the top', JSON.stringify(texts('source')) === JSON.stringify(sentence.source), texts('source'));
    check('output words down the side', JSON.stringify(texts('target')) === JSON.stringify(sentence.target), texts('target'));
    check('one cell per weight', all('#viewer-grid .cell').length === weights.length * weights[0].length, all('#viewer-grid .cell').length);
    check('the single matrix needs no picker', $('viewer-matrix').hidden, $('viewer-matrix').hidden);
    check('the legend is drawn', all('#viewer-legend rect').length === 1 && all('#viewer-legend text').length === 3, all('#viewer-legend *').length);
    const rows = weights.map((row, i) => row.indexOf(Math.max(...row)) === all(`#viewer-grid .cell[data-i="${i}"]`)
      .map(darkness).reduce((best, value, j, list) => (value > list[best] ? j : best), 0));
    check('the heaviest weight of each row is its darkest cell', rows.every(Boolean), rows);

    mouse(cell(1, 1), 'mouseover');
    const tip = $('viewer-tooltip');
    const expected = `Haus → house: α = ${weights[1][1].toFixed(3)}`;
    check('hovering a cell shows its words and weight', !tip.hidden && tip.textContent === expected, tip.textContent);
    check('hovering a cell marks its two words', word('source', 1).classList.contains('hovered') && word('target', 1).classList.contains('hovered'), '');
    $('viewer-grid').dispatchEvent(new MouseEvent('mouseleave'));
    check('leaving the grid hides the weight', tip.hidden, tip.textContent);

    mouse(word('target', 1), 'click');
    const shades = sentence.source.map((_, j) => opacity('source', j));
    const proportional = shades.every((shade, j) => Math.abs(shade - 0.8 * weights[1][j]) < 1e-3);
    check('clicking an output word shades the source words by weight', proportional, shades);
    check('the output word is pressed', word('target', 1).getAttribute('aria-pressed') === 'true', '');
    check('its row is outlined and the rest dimmed', all('#viewer-grid .cell.dimmed').length === weights[0].length * (weights.length - 1)
      && document.querySelector('#viewer-grid .outline').getAttribute('visibility') === 'visible', all('#viewer-grid .cell.dimmed').length);
    check('the details name the most attended word', $('viewer-details').textContent.startsWith(`house attended to Haus (${weights[1][1].toFixed(3)})`), $('viewer-details').textContent);
    mouse(word('target', 1), 'click');
    check('clicking it again clears the focus', !all('#viewer-grid .chosen').length && !all('#viewer-grid .dimmed').length, '');

    mouse(word('source', 3), 'click');
    const reverse = sentence.target.map((_, i) => opacity('target', i));
    check('clicking a source word shades the output words', reverse.every((shade, i) => Math.abs(shade - 0.8 * weights[i][3]) < 1e-3), reverse);
    check('the details say who attended to it', $('viewer-details').textContent.startsWith('klein was attended to by small'), $('viewer-details').textContent);
    key(document, 'Escape');
    check('Escape clears the focus', !all('#viewer-grid .chosen').length, '');
    key(word('target', 2), 'Enter');
    check('Enter on a focused word follows it', word('target', 2).classList.contains('chosen'), '');
  }

  function searching() {
    search('KRANKENHAUS');
    check('search finds joined subwords, ignoring case', all('#viewer-list li').length === 1 && $('viewer-count').textContent === '1 of 4 sentences match',
      $('viewer-count').textContent);
    search('small');
    check('search looks at the output too', all('#viewer-list li').length === 1, all('#viewer-list li').length);
    search('zzz');
    check('a search without match lists nothing', all('#viewer-list li').length === 0, '');
    search('');
    check('an empty search lists everything', all('#viewer-list li').length === 4, '');
  }

  function headsAndOddText() {
    listButton(1).focus();
    key(listButton(1), 'ArrowDown');
    const hospital = data.sentences[1];
    check('ArrowDown moves to the next sentence', listButton(2).getAttribute('aria-current') === 'true' && document.activeElement === listButton(2), '');
    check('the caption shows joined words', $('viewer-caption').textContent === '2. Morgen muss ich ins Krankenhaus .', $('viewer-caption').textContent);
    const options = all('#viewer-matrix option').map((option) => option.textContent);
    check('the picker offers the mean and every head', !$('viewer-matrix').hidden && JSON.stringify(options) === JSON.stringify(hospital.matrices.map((m) => m.name)), options);
    const before = all('#viewer-grid .cell').map((rect) => rect.getAttribute('fill'));
    $('viewer-matrix').value = 'layer 2, head 2';
    $('viewer-matrix').dispatchEvent(new Event('change'));
    const after = all('#viewer-grid .cell').map((rect) => rect.getAttribute('fill'));
    check('picking a head redraws the grid', after.length === before.length && after.join() !== before.join(), after.length);
    mouse(cell(8, 6), 'mouseover');
    const head = hospital.matrices[4].weights[8][6].toFixed(3);
    check('the tooltip reads the picked head', $('viewer-tooltip').textContent === `haus → tal: α = ${head}`, $('viewer-tooltip').textContent);

    mouse(listButton(3), 'click');
    check('the head is forgotten for a sentence without it', $('viewer-matrix').hidden, '');
    check('text that looks like markup is shown as text', JSON.stringify(texts('source')) === JSON.stringify(data.sentences[2].source)
      && JSON.stringify(texts('target')) === JSON.stringify(data.sentences[2].target) && !document.querySelector('#viewer-grid script'), texts('target'));
    mouse(listButton(4), 'click');
    check('a sentence without attention says so', !all('#viewer-grid .cell').length && /no attention/.test($('viewer-grid').textContent), $('viewer-grid').textContent);
  }

  function leaveForScreenshot() {
    mouse(listButton(2), 'click');
    mouse(word('target', 7), 'click');
    mouse(cell(7, 4), 'mouseover');
  }

  try {
    firstSentence();
    searching();
    headsAndOddText();
    leaveForScreenshot();
  } catch (error) {
    check('the checks ran to the end', false, String(error && error.stack));
  }
  const output = document.createElement('pre');
  output.id = 'browser-test-results';
  output.hidden = true;
  output.textContent = results.join('\n');
  document.body.append(output);
})();
