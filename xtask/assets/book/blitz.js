// The blitz book's language picker (xtask/src/book/): every page lists the course's languages, each linking to the
// same chapter in that language's book, the sibling folder ../<lang>/ (relative, so it works from the file system
// as well as from a server). blitz-book.js, written per language by the build, says which pages each book has.
(function () {
    'use strict';
    const book = window.BLITZ_BOOK;
    const main = document.querySelector('#mdbook-content main');
    if (!book || !main) {
        return;
    }
    const file = decodeURIComponent(window.location.pathname.split('/').pop() || '') || 'index.html';
    const nav = document.createElement('nav');
    nav.className = 'blitz-languages';
    nav.setAttribute('aria-label', 'Languages');
    for (const language of book.languages) {
        const item = document.createElement(language.code === book.lang ? 'span' : 'a');
        item.textContent = language.name;
        item.lang = language.code;
        item.className = 'blitz-language';
        if (language.code === book.lang) {
            item.setAttribute('aria-current', 'page');
        } else {
            const page = language.pages.includes(file) ? file : 'index.html';
            item.href = '../' + encodeURIComponent(language.code) + '/' + encodeURIComponent(page);
            item.hreflang = language.code;
        }
        nav.appendChild(item);
    }
    if (book.pdf) {
        const pdf = document.createElement('a');
        pdf.className = 'blitz-pdf';
        pdf.href = '../' + encodeURIComponent(book.pdf);
        pdf.textContent = 'PDF';
        nav.appendChild(pdf);
    }
    main.insertBefore(nav, main.firstChild);
    // On paper a folded hint cannot be opened: the print view (and so the PDF) shows them all.
    if (file === 'print.html') {
        for (const hint of document.querySelectorAll('details.blitz-hint')) {
            hint.open = true;
        }
    }
})();
