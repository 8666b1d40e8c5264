// deskbot Markdown: the small subset answers and agents use (paragraphs,
// **bold**, *italics*, lists, headings, links, bare URLs, `code`, code
// blocks, quotes), turned into DOM nodes. Text only ever enters the page as
// text nodes, never as HTML, so server or customer text cannot inject markup
// and the strict CSP holds. Shared by the chat page, the widget's framed chat
// and the agent console: window.DeskbotMD.render(text) returns a fragment.
(function () {
  'use strict';

  // newTab is the screen-reader note on a link to another site, in the
  // page's language when i18n.js is loaded (the chat page), else English.
  function newTab() {
    var i = window.DeskbotI18n;
    return ' ' + (i ? i.t('new_tab', '(opens in a new tab)') : '(opens in a new tab)');
  }
  // One alternative per inline construct; the first match wins.
  var INLINE = new RegExp([
    '(`+)([^`]|[^`][\\s\\S]*?[^`])\\1(?!`)', // 1,2 code span
    '\\*\\*(?=\\S)([\\s\\S]*?\\S)\\*\\*', // 3 bold
    '__(?=\\S)([\\s\\S]*?\\S)__(?!\\w)', // 4 bold
    '\\*(?=[^\\s*])([\\s\\S]*?[^\\s*])\\*', // 5 italics
    '_(?=[^\\s_])([\\s\\S]*?[^\\s_])_(?!\\w)', // 6 italics
    '\\[([^\\]\\n]+)\\]\\(\\s*<?([^()\\s<>]*(?:\\([^()\\s]*\\)[^()\\s<>]*)*)>?\\s*\\)', // 7,8 link
    '<((?:https?:\\/\\/|mailto:)[^<>\\s]+)>', // 9 autolink
    '((?:https?:\\/\\/|www\\.)[^\\s<>]*[^\\s<>.,:;!?\'")\\]*_])', // 10 bare URL
    '([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})' // 11 e-mail
  ].join('|'));

  // safeHref allows http(s) and mailto only; javascript:, data: and the
  // like come back null and their text stays plain text.
  function safeHref(u) {
    try {
      var p = new URL(u, location.href);
      if (p.protocol === 'http:' || p.protocol === 'https:' || p.protocol === 'mailto:') return p;
    } catch (e) { /* not a URL */ }
    return null;
  }

  // link builds <a>; another origin opens in a new tab, says so, and gets
  // no opener or referrer. content is a string or a node to append.
  function link(href, content) {
    var p = safeHref(href);
    if (!p) return null;
    var a = document.createElement('a');
    a.href = p.href;
    if (typeof content === 'string') a.textContent = content;
    else a.appendChild(content);
    if (p.protocol !== 'mailto:' && p.origin !== location.origin) {
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      var vh = document.createElement('span');
      vh.className = 'vh';
      vh.textContent = newTab();
      a.appendChild(vh);
    }
    return a;
  }

  function inline(parent, text, noLinks) {
    var rest = text;
    while (rest) {
      var m = INLINE.exec(rest);
      if (!m) break;
      var at = m.index, whole = m[0], out = null;
      // Intraword underscores (snake_case) are not emphasis.
      if ((m[4] || m[6]) && at > 0 && /\w/.test(rest.charAt(at - 1))) {
        parent.appendChild(document.createTextNode(rest.slice(0, at + 1)));
        rest = rest.slice(at + 1);
        continue;
      }
      if (m[2] != null) {
        out = document.createElement('code');
        out.textContent = m[2].replace(/^ (.*) $/, '$1');
      } else if (m[3] != null || m[4] != null) {
        out = document.createElement('strong');
        inline(out, m[3] != null ? m[3] : m[4], noLinks);
      } else if (m[5] != null || m[6] != null) {
        out = document.createElement('em');
        inline(out, m[5] != null ? m[5] : m[6], noLinks);
      } else if (!noLinks) {
        if (m[7] != null) {
          var f = document.createDocumentFragment();
          inline(f, m[7], true);
          out = link(m[8], f);
        } else if (m[9] != null) {
          out = link(m[9], m[9].replace(/^mailto:/, ''));
        } else if (m[10] != null) {
          out = link(/^www\./.test(m[10]) ? 'https://' + m[10] : m[10], m[10]);
        } else if (m[11] != null) {
          out = link('mailto:' + m[11], m[11]);
        }
      }
      if (!out) {
        // Not allowed here (a link inside a link, an unsafe URL): plain text.
        parent.appendChild(document.createTextNode(rest.slice(0, at + whole.length)));
      } else {
        if (at) parent.appendChild(document.createTextNode(rest.slice(0, at)));
        parent.appendChild(out);
      }
      rest = rest.slice(at + whole.length);
    }
    if (rest) parent.appendChild(document.createTextNode(rest));
  }

  function el(tag, text) {
    var n = document.createElement(tag);
    if (text != null) inline(n, text);
    return n;
  }

  var LIST = /^ {0,3}([-*+]|\d{1,9}[.)])\s+(.*)$/;
  var FENCE = /^ {0,3}(```|~~~)/;
  var HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;

  // render turns text into a fragment of block elements. headingBase is the
  // level a "#" heading gets (default 3), below the page's own headings.
  function render(text, headingBase) {
    var base = headingBase || 3;
    var frag = document.createDocumentFragment();
    var lines = String(text == null ? '' : text).replace(/\r\n?/g, '\n').split('\n');
    var para = [], list = null, i = 0, m;

    function flush() {
      if (para.length) frag.appendChild(el('p', para.join('\n')));
      para = [];
      list = null;
    }

    while (i < lines.length) {
      var line = lines[i];
      if (FENCE.test(line)) {
        flush();
        var fence = FENCE.exec(line)[1], code = [];
        for (i++; i < lines.length && lines[i].trim().indexOf(fence) !== 0; i++) code.push(lines[i]);
        var pre = document.createElement('pre'), c = document.createElement('code');
        c.textContent = code.join('\n');
        pre.appendChild(c);
        frag.appendChild(pre);
        i++;
        continue;
      }
      if (!line.trim()) { flush(); i++; continue; }
      if ((m = HEADING.exec(line))) {
        flush();
        frag.appendChild(el('h' + Math.min(6, base + m[1].length - 1), m[2]));
      } else if ((m = LIST.exec(line))) {
        var ordered = /\d/.test(m[1]);
        if (para.length) flush();
        if (!list || list.ordered !== ordered) {
          list = { ordered: ordered, node: document.createElement(ordered ? 'ol' : 'ul') };
          if (ordered && parseInt(m[1], 10) !== 1) list.node.start = parseInt(m[1], 10);
          frag.appendChild(list.node);
        }
        list.node.appendChild(el('li', m[2]));
      } else if (/^ {0,3}>/.test(line)) {
        flush();
        var quote = [];
        for (; i < lines.length && /^ {0,3}>/.test(lines[i]); i++) quote.push(lines[i].replace(/^ {0,3}> ?/, ''));
        var bq = document.createElement('blockquote');
        bq.appendChild(render(quote.join('\n'), base));
        frag.appendChild(bq);
        continue;
      } else if (list && /^\s+\S/.test(line)) {
        // An indented line continues the last list item.
        var li = list.node.lastChild;
        li.appendChild(document.createTextNode('\n'));
        inline(li, line.trim());
      } else {
        list = null;
        para.push(line);
      }
      i++;
    }
    flush();
    return frag;
  }

  window.DeskbotMD = Object.freeze({ render: render, link: link, safeHref: safeHref });
})();
