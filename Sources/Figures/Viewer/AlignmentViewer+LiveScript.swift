/// The live page's script: what a person types is translated by the server that sent the
/// page, and the answer joins the viewer's list.

extension AlignmentViewer {
    /// Runs after ``viewerScript`` on the live page only, so that a report's page holds no
    /// code that sends anything. It posts `{"text": …, "beam": k}` to `/translate` and reads
    /// `{"translations": [{"text", "tokens", "sourceTokens", "alignment", "heads"?,
    /// "alternatives"?}]}`, or `{"error": …}` with a 4xx status, whose message it shows.
    static let liveScript = #"""
        (() => {
          const $ = (id) => document.getElementById(id);
          const box = $('live-text'), beam = $('live-beam'), submit = $('live-submit'), status = $('live-status');

          function say(message, isError) {
            status.textContent = message;
            status.classList.toggle('error', Boolean(isError));
          }

          // The server's translation as the viewer's sentence. Its token lists leave out
          // `</s>`; a matrix with a row or a column more than the tokens has one for it.
          function sentenceOf(translation) {
            const alignment = Array.isArray(translation.alignment) ? translation.alignment : [];
            const heads = translation.heads && typeof translation.heads === 'object' ? Object.entries(translation.heads) : [];
            const matrices = alignment.length ? [{ name: heads.length ? 'all heads (mean)' : 'attention', weights: alignment }] : [];
            for (const [name, weights] of heads) matrices.push({ name, weights });
            const withEnd = (tokens, count) => (Array.isArray(tokens) && count === tokens.length + 1 ? tokens.concat('</s>') : tokens);
            const rows = alignment.length, columns = rows && Array.isArray(alignment[0]) ? alignment[0].length : -1;
            return {
              source: withEnd(translation.sourceTokens, columns),
              target: withEnd(translation.tokens, rows),
              matrices,
              text: typeof translation.text === 'string' ? translation.text : '',
              alternatives: Array.isArray(translation.alternatives) ? translation.alternatives : [],
            };
          }

          async function translate() {
            const text = box.value.trim(), k = Number(beam.value);
            if (!text) { say('Type a German sentence first.', true); box.focus(); return; }
            if (!Number.isInteger(k) || k < 1) { say('The beam size is a whole number from 1.', true); beam.focus(); return; }
            submit.disabled = true;
            say('Translating…');
            try {
              const response = await fetch('/translate', {
                method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text, beam: k }),
              });
              const answer = await response.json().catch(() => null);
              if (!response.ok) {
                say(answer && typeof answer.error === 'string' ? answer.error : `The server answered ${response.status}.`, true);
                return;
              }
              const first = answer && Array.isArray(answer.translations) ? answer.translations[0] : undefined;
              if (!first) throw new Error('the answer holds no translation');
              viewer.add(sentenceOf(first));
              say('');
            } catch (error) {
              say(`No translation: ${error.message}`, true);
            } finally {
              submit.disabled = false;
            }
          }

          $('live-form').addEventListener('submit', (event) => { event.preventDefault(); translate(); });
          // Enter translates; Shift+Enter starts a new line.
          box.addEventListener('keydown', (event) => {
            if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); translate(); }
          });
          if (!$('viewer-list').children.length) $('viewer-details').textContent = 'Type a German sentence above and press Translate.';
          const asked = new URLSearchParams(window.location.search).get('text');
          if (asked && asked.trim()) { box.value = asked; translate(); }
        })();

        """#
}
