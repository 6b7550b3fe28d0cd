// blitz: search for Japanese, Chinese and Korean words in mdBook (see xtask/src/book/search.rs). This script is put
// in front of the search index, so it runs once elasticlunr.js is there and before the index is loaded.
// The index holds every run of CJK characters as overlapping two-character pieces; a query is cut the same way,
// and the pieces are kept through elasticlunr's trimmer (which drops anything but ASCII letters and digits).
(function () {
    'use strict';
    if (typeof elasticlunr === 'undefined' || elasticlunr.blitzCjk) {
        return;
    }
    elasticlunr.blitzCjk = true;
    // The same characters as is_cjk in search.rs: kana, Han, Hangul.
    const CLASS = '\\u3040-\\u30FF\\u31F0-\\u31FF\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF\\uFF66-\\uFF9F' +
        '\\u1100-\\u11FF\\u3130-\\u318F\\uAC00-\\uD7AF\\u{20000}-\\u{2FFFF}';
    const CJK = new RegExp('[' + CLASS + ']', 'u');
    const RUNS = new RegExp('[' + CLASS + ']+', 'gu');
    const IDEOGRAPHS = '\\u3040-\\u30FF\\u31F0-\\u31FF\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF\\u{20000}-\\u{2FFFF}';
    const IDEOGRAPH_SPACE = new RegExp('([' + IDEOGRAPHS + ']) (?=[' + IDEOGRAPHS + '])', 'gu');

    // A run of the query as the index holds it: its two-character pieces, or the character itself (which
    // mdBook's prefix expansion matches against the pieces it begins).
    function pieces(run) {
        const chars = Array.from(run);
        if (chars.length < 2) {
            return chars;
        }
        const out = [];
        for (let i = 0; i + 1 < chars.length; i++) {
            out.push(chars[i] + chars[i + 1]);
        }
        return out;
    }

    const tokenizer = elasticlunr.tokenizer;
    const cjkTokenizer = function () {
        const out = [];
        for (const token of tokenizer.apply(this, arguments)) {
            if (!CJK.test(token)) {
                out.push(token);
                continue;
            }
            let last = 0;
            for (const match of token.matchAll(RUNS)) {
                if (match.index > last) {
                    out.push(token.slice(last, match.index));
                }
                out.push(...pieces(match[0]));
                last = match.index + match[0].length;
            }
            if (last < token.length) {
                out.push(token.slice(last));
            }
        }
        return out;
    };
    Object.assign(cjkTokenizer, tokenizer);
    elasticlunr.tokenizer = cjkTokenizer;

    const trimmer = elasticlunr.trimmer;
    const cjkTrimmer = function (token) {
        if (token === null || token === undefined || !CJK.test(token)) {
            return trimmer(token);
        }
        return token.replace(/^[^\p{L}\p{N}_]+/u, '').replace(/[^\p{L}\p{N}_]+$/u, '');
    };
    // Registered in place of the original (by hand: registerFunction would warn on the console).
    cjkTrimmer.label = 'trimmer';
    elasticlunr.trimmer = cjkTrimmer;
    elasticlunr.Pipeline.registeredFunctions.trimmer = cjkTrimmer;

    // mdBook cuts a result's teaser at spaces, so a CJK section would show whole: show the text around the
    // first place the query's CJK text is found instead, with it emphasised.
    const results = document.getElementById('mdbook-searchresults');
    const searchbar = document.getElementById('mdbook-searchbar');
    if (!results || !searchbar || typeof MutationObserver === 'undefined') {
        return;
    }
    // The whole text of a result's section (mdBook's teaser is already cut), from the index.
    function sectionText(teaser) {
        const link = teaser.parentNode && teaser.parentNode.querySelector('a');
        const data = window.search || {};
        if (!link || !data.doc_urls || !data.index) {
            return teaser.textContent;
        }
        const href = link.getAttribute('href').slice((window.path_to_root || '').length);
        const page = href.split(/[?#]/)[0];
        const anchor = href.includes('#') ? href.slice(href.indexOf('#') + 1) : '';
        const ref = data.doc_urls.indexOf(anchor ? page + '#' + anchor : page);
        const doc = ref >= 0 && data.index.documentStore.docs[ref];
        return doc ? doc.body : teaser.textContent;
    }
    const escape = text => text.replace(/[&<>"']/g, c => '&#' + c.charCodeAt(0) + ';');
    new MutationObserver(() => {
        const runs = (searchbar.value.match(RUNS) || []).sort((a, b) => b.length - a.length);
        if (runs.length === 0) {
            return;
        }
        for (const teaser of results.querySelectorAll('.teaser')) {
            // mdBook's indexer puts a space wherever an element starts, even inside Japanese or Chinese text.
            const text = sectionText(teaser).replace(IDEOGRAPH_SPACE, '$1');
            let at = -1;
            let found = '';
            for (const run of runs) {
                for (const piece of [run].concat(pieces(run))) {
                    at = text.toLowerCase().indexOf(piece.toLowerCase());
                    if (at >= 0) {
                        found = text.substr(at, piece.length);
                        break;
                    }
                }
                if (at >= 0) {
                    break;
                }
            }
            if (at < 0) {
                teaser.textContent = text;
                continue;
            }
            const start = Math.max(0, at - 40);
            const end = Math.min(text.length, at + found.length + 100);
            teaser.innerHTML = (start > 0 ? '… ' : '') + escape(text.slice(start, at)) + '<em>' + escape(found) +
                '</em>' + escape(text.slice(at + found.length, end)) + (end < text.length ? ' …' : '');
        }
    }).observe(results, {childList: true});
})();
