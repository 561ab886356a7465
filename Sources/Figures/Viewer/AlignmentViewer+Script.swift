/// The alignment viewer's script, kept in Swift so that the module needs no resources: the
/// sentence list, the matrix grid, hovering and following words. Both pages run it.

extension AlignmentViewer {
    /// Plain JavaScript for any current browser, with no library. It reads the page's
    /// data, draws with DOM calls (text is always set as text, never parsed as HTML) and
    /// leaves `viewer.add(sentence)` for the live page's script.
    static let viewerScript = #"""
        'use strict';
        const viewer = (() => {
          const $ = (id) => document.getElementById(id);
          // SVG elements are made in SVG's namespace, read off the legend's element so that
          // the page holds no address at all.
          const svgNS = $('viewer-legend').namespaceURI;
          const layout = { font: 13, gap: 6, angle: 55, minCell: 16, maxCell: 30, width: 760 };
          // Cells from white (0) to deep blue (1), linearly in sRGB like the legend's gradient.
          const zero = [255, 255, 255], one = [8, 48, 107];
          const sentences = [];
          const state = { sentence: -1, matrix: '', focus: null };
          let drawn = null; // the grid on screen: its sentence, matrix, cells and words

          function color(weight) {
            if (typeof weight !== 'number') return '#d0d0d0';
            const t = Math.min(Math.max(weight, 0), 1);
            const channel = (k) => Math.round(zero[k] + (one[k] - zero[k]) * t);
            return `rgb(${channel(0)},${channel(1)},${channel(2)})`;
          }

          function format(weight) { return typeof weight === 'number' ? weight.toFixed(3) : 'missing'; }

          function svg(name, attributes, parent) {
            const node = document.createElementNS(svgNS, name);
            for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
            if (parent) parent.append(node);
            return node;
          }

          function html(name, className, text) {
            const node = document.createElement(name);
            if (className) node.className = className;
            if (text !== undefined) node.textContent = text;
            return node;
          }

          // The words a reader sees: subword pieces joined (`Krank@@ en@@ haus`), no `</s>`.
          function words(tokens) {
            return tokens.filter((token) => token !== '</s>').join(' ').replace(/@@( |$)/g, '');
          }

          // A sentence checked (every matrix one row per output token, one weight per source
          // token) and given what the list shows and searches.
          function prepare(sentence) {
            const { source, target, matrices } = sentence;
            const isTokens = (list) => Array.isArray(list) && list.every((token) => typeof token === 'string');
            if (!isTokens(source) || !isTokens(target) || !Array.isArray(matrices)) {
              throw new Error('a sentence needs source tokens, output tokens and a list of matrices');
            }
            for (const matrix of matrices) {
              const fits = Array.isArray(matrix.weights) && matrix.weights.length === target.length
                && matrix.weights.every((row) => Array.isArray(row) && row.length === source.length);
              if (!fits) throw new Error(`the matrix "${matrix.name}" is not ${target.length} × ${source.length}`);
            }
            const sourceText = words(source), targetText = sentence.text || words(target);
            return Object.assign({}, sentence, {
              number: sentences.length + 1, sourceText, targetText,
              searchText: `${sourceText}\n${targetText}`.toLocaleLowerCase(),
            });
          }

          function renderList() {
            const query = $('viewer-search').value.trim().toLocaleLowerCase();
            const list = $('viewer-list');
            list.replaceChildren();
            let shown = 0;
            sentences.forEach((sentence, index) => {
              if (query && !sentence.searchText.includes(query)) return;
              const button = html('button');
              button.type = 'button';
              button.dataset.index = String(index);
              button.title = `${sentence.sourceText}\n${sentence.targetText}`;
              button.setAttribute('aria-current', String(index === state.sentence));
              button.append(html('span', 'number', String(sentence.number)),
                html('span', 'source', sentence.sourceText), html('span', 'target', sentence.targetText));
              const item = html('li');
              item.append(button);
              list.append(item);
              shown += 1;
            });
            const total = `${sentences.length} sentence${sentences.length === 1 ? '' : 's'}`;
            $('viewer-count').textContent = query ? `${shown} of ${total} match` : total;
          }

          function choose(index) {
            state.sentence = index;
            state.focus = null;
            for (const button of $('viewer-list').querySelectorAll('button')) {
              button.setAttribute('aria-current', String(Number(button.dataset.index) === index));
            }
            renderPicker();
            renderSentence();
          }

          // The mean and every layer's heads; the choice made for one sentence is kept for
          // the next if it has a matrix of that name.
          function renderPicker() {
            const names = sentences[state.sentence].matrices.map((matrix) => matrix.name);
            const picker = $('viewer-matrix');
            picker.replaceChildren(...names.map((name) => html('option', '', name)));
            if (!names.includes(state.matrix)) state.matrix = names[0] || '';
            picker.value = state.matrix;
            picker.hidden = $('viewer-matrix-label').hidden = names.length < 2;
          }

          function renderSentence() {
            const sentence = sentences[state.sentence];
            $('viewer-caption').textContent = `${sentence.number}. ${sentence.sourceText}`;
            $('viewer-output').textContent = `→ ${sentence.targetText}`;
            renderAlternatives(sentence.alternatives || []);
            const grid = $('viewer-grid');
            grid.replaceChildren();
            drawn = null;
            const matrix = sentence.matrices.find((candidate) => candidate.name === state.matrix);
            if (matrix) {
              drawGrid(grid, sentence, matrix);
            } else {
              grid.append(html('p', 'muted', 'This model has no attention, so there is no alignment to draw.'));
            }
            showFocus();
          }

          // Source words rise across the top, output words run down the left, one cell per weight.
          function drawGrid(grid, sentence, matrix) {
            const { source, target } = sentence;
            const cell = Math.max(layout.minCell, Math.min(layout.maxCell, Math.floor(layout.width / Math.max(source.length, 1))));
            const picture = svg('svg', { role: 'img',
              'aria-label': `Attention of ${target.length} output tokens on ${source.length} source tokens` }, grid);
            const sourceWords = source.map((token, j) => word(picture, token, 'source', j, 'start'));
            const targetWords = target.map((token, i) => word(picture, token, 'target', i, 'end'));
            const length = (entry) => entry.text.getComputedTextLength();
            const angle = layout.angle * Math.PI / 180;
            const left = Math.max(0, ...targetWords.map(length)) + 3 * layout.gap;
            const top = Math.max(0, ...sourceWords.map(length)) * Math.sin(angle) + layout.font + 2 * layout.gap;
            let right = left + source.length * cell;
            sourceWords.forEach((entry, j) => {
              const x = left + (j + 0.5) * cell;
              entry.group.setAttribute('transform', `translate(${x},${top - layout.gap}) rotate(${-layout.angle})`);
              right = Math.max(right, x + length(entry) * Math.cos(angle) + layout.font);
            });
            targetWords.forEach((entry, i) => {
              entry.group.setAttribute('transform', `translate(${left - layout.gap},${top + (i + 0.5) * cell})`);
            });
            [...sourceWords, ...targetWords].forEach(fitShade);
            const cells = matrix.weights.map((row, i) => row.map((weight, j) => svg('rect', {
              class: 'cell', x: left + j * cell, y: top + i * cell, width: cell, height: cell,
              fill: color(weight), 'data-i': i, 'data-j': j }, picture)));
            svg('rect', { x: left, y: top, width: source.length * cell, height: target.length * cell,
              fill: 'none', stroke: '#8c959f' }, picture);
            const outline = svg('rect', { class: 'outline', visibility: 'hidden' }, picture);
            picture.setAttribute('width', Math.ceil(right + layout.gap));
            picture.setAttribute('height', Math.ceil(top + target.length * cell + layout.gap));
            drawn = { sentence, matrix, cells, sourceWords, targetWords, outline, left, top, cell };
          }

          // A word that can be clicked or focused: its text over a shade that shows its weight.
          function word(picture, token, axis, index, anchor) {
            const group = svg('g', { class: 'word', tabindex: 0, role: 'button', 'aria-pressed': 'false',
              'data-axis': axis, 'data-index': index,
              'aria-label': `${axis === 'source' ? 'source' : 'output'} word ${token}` }, picture);
            const shade = svg('rect', { class: 'shade', rx: 3 }, group);
            const text = svg('text', { x: 0, y: layout.font / 3, 'text-anchor': anchor }, group);
            text.textContent = token;
            return { group, shade, text };
          }

          function fitShade(entry) {
            const box = entry.text.getBBox();
            for (const [key, value] of Object.entries({ x: box.x - 3, y: box.y - 1, width: box.width + 6, height: box.height + 2 })) {
              entry.shade.setAttribute(key, value);
            }
          }

          function hover(event) {
            const tooltip = $('viewer-tooltip');
            for (const entry of document.querySelectorAll('#viewer-grid .hovered')) entry.classList.remove('hovered');
            const cell = event && event.target.closest ? event.target.closest('.cell') : null;
            if (!cell || !drawn) { tooltip.hidden = true; return; }
            const i = Number(cell.dataset.i), j = Number(cell.dataset.j);
            drawn.sourceWords[j].group.classList.add('hovered');
            drawn.targetWords[i].group.classList.add('hovered');
            tooltip.textContent = `${drawn.sentence.source[j]} → ${drawn.sentence.target[i]}: α = ${format(drawn.matrix.weights[i][j])}`;
            tooltip.hidden = false;
            const x = event.clientX + 14 + tooltip.offsetWidth > window.innerWidth ? event.clientX - 14 - tooltip.offsetWidth : event.clientX + 14;
            tooltip.style.left = `${x}px`;
            tooltip.style.top = `${event.clientY + 16}px`;
          }

          function toggleFocus(group) {
            const axis = group.dataset.axis, index = Number(group.dataset.index);
            const same = state.focus && state.focus.axis === axis && state.focus.index === index;
            state.focus = same ? null : { axis, index };
            showFocus();
          }

          // The word in focus in vermillion, the other side's words shaded by their weight
          // with it, its row or column outlined and the rest of the grid dimmed.
          function showFocus() {
            const details = $('viewer-details');
            details.replaceChildren();
            if (!drawn) return;
            const { matrix, cells, sourceWords, targetWords, outline, left, top, cell } = drawn;
            for (const entry of [...sourceWords, ...targetWords]) {
              entry.group.classList.remove('chosen');
              entry.group.setAttribute('aria-pressed', 'false');
              entry.shade.style.fillOpacity = '';
            }
            cells.flat().forEach((rect) => rect.classList.remove('dimmed'));
            outline.setAttribute('visibility', 'hidden');
            const focus = state.focus;
            const byRow = focus && focus.axis === 'target';
            const chosen = focus && (byRow ? targetWords : sourceWords)[focus.index];
            if (!chosen) {
              details.textContent = 'Click an output word to see the source words it attended to, or a source word for the reverse.';
              return;
            }
            chosen.group.classList.add('chosen');
            chosen.group.setAttribute('aria-pressed', 'true');
            const others = byRow ? sourceWords : targetWords;
            const weights = others.map((_, k) => (byRow ? matrix.weights[focus.index][k] : matrix.weights[k][focus.index]));
            others.forEach((entry, k) => { entry.shade.style.fillOpacity = String(0.8 * Math.min(Math.max(weights[k] || 0, 0), 1)); });
            cells.forEach((row, i) => row.forEach((rect, j) => { if ((byRow ? i : j) !== focus.index) rect.classList.add('dimmed'); }));
            const box = byRow
              ? { x: left, y: top + focus.index * cell, width: sourceWords.length * cell, height: cell }
              : { x: left + focus.index * cell, y: top, width: cell, height: targetWords.length * cell };
            for (const [key, value] of Object.entries(box)) outline.setAttribute(key, value);
            outline.setAttribute('visibility', 'visible');
            const ranked = others.map((entry, k) => ({ token: entry.text.textContent, weight: weights[k] }))
              .filter((entry) => typeof entry.weight === 'number' && entry.weight >= 0.01)
              .sort((a, b) => b.weight - a.weight).slice(0, 5);
            details.append(html('b', '', chosen.text.textContent), byRow ? ' attended to ' : ' was attended to by ',
              ranked.length ? ranked.map((entry) => `${entry.token} (${format(entry.weight)})`).join(', ') : 'no word above 0.01', '.');
          }

          function renderAlternatives(alternatives) {
            const box = $('viewer-alternatives');
            box.replaceChildren();
            if (!alternatives.length) return;
            const list = html('ol');
            for (const alternative of alternatives) {
              const item = html('li', '', String(alternative.text));
              if (typeof alternative.score === 'number') item.append(html('span', 'score', `score ${alternative.score.toFixed(2)}`));
              list.append(item);
            }
            box.append(html('h3', '', 'Alternatives of the beam'), list);
          }

          function drawLegend() {
            const legend = $('viewer-legend');
            const gradient = svg('linearGradient', { id: 'viewer-scale' }, svg('defs', {}, legend));
            for (const offset of [0, 1]) svg('stop', { offset, 'stop-color': color(offset) }, gradient);
            svg('rect', { x: 10, y: 2, width: 160, height: 12, fill: 'url(#viewer-scale)', stroke: '#8c959f' }, legend);
            for (const value of [0, 0.5, 1]) {
              const label = svg('text', { x: 10 + 160 * value, y: 30, 'text-anchor': 'middle', 'font-size': 12, fill: '#59636e' }, legend);
              label.textContent = `${value === 0.5 ? 'α = ' : ''}${value}`;
            }
          }

          // Arrow keys move through the list as through a menu.
          function step(event) {
            if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
            const buttons = [...$('viewer-list').querySelectorAll('button')];
            const next = buttons[buttons.indexOf(document.activeElement) + (event.key === 'ArrowDown' ? 1 : -1)];
            if (!next) return;
            event.preventDefault();
            next.focus();
            choose(Number(next.dataset.index));
          }

          function listen() {
            $('viewer-search').addEventListener('input', renderList);
            $('viewer-list').addEventListener('click', (event) => {
              const button = event.target.closest('button');
              if (button) choose(Number(button.dataset.index));
            });
            $('viewer-list').addEventListener('keydown', step);
            $('viewer-matrix').addEventListener('change', () => { state.matrix = $('viewer-matrix').value; renderSentence(); });
            const grid = $('viewer-grid');
            grid.addEventListener('mouseover', hover);
            grid.addEventListener('mousemove', hover);
            grid.addEventListener('mouseleave', () => hover(null));
            grid.addEventListener('click', (event) => {
              const group = event.target.closest('.word');
              if (group) toggleFocus(group);
            });
            grid.addEventListener('keydown', (event) => {
              const group = event.target.closest('.word');
              if (!group || (event.key !== 'Enter' && event.key !== ' ')) return;
              event.preventDefault();
              toggleFocus(group);
            });
            document.addEventListener('keydown', (event) => {
              if (event.key === 'Escape' && state.focus) { state.focus = null; showFocus(); }
            });
          }

          // A sentence joins the list and is shown (the live page's translations).
          function add(sentence) {
            sentences.push(prepare(sentence));
            $('viewer-search').value = '';
            renderList();
            choose(sentences.length - 1);
            const button = $('viewer-list').querySelector(`button[data-index="${sentences.length - 1}"]`);
            if (button) button.scrollIntoView({ block: 'nearest' });
          }

          function fail(error) {
            const box = $('viewer-error');
            box.hidden = false;
            box.textContent = `The viewer stopped: ${error && error.message ? error.message : error}`;
          }

          window.addEventListener('error', (event) => fail(event.error || event.message));
          try {
            for (const sentence of JSON.parse($('viewer-data').textContent).sentences) sentences.push(prepare(sentence));
            drawLegend();
            listen();
            renderList();
            if (sentences.length) choose(0); else $('viewer-caption').textContent = 'No sentence yet';
            document.body.dataset.viewer = 'ready';
          } catch (error) {
            fail(error);
          }
          return { add };
        })();

        """#
}
