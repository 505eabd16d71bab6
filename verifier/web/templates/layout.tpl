{{%AUTOESCAPE context="HTML"}}<!DOCTYPE html>
<html lang="{{LANG}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}} · {{T_SITE}}</title>
{{#CANONICAL}}<link rel="canonical" href="{{URL}}">
{{/CANONICAL}}<style>
:root{--ink:#1a1a1a;--muted:#555;--line:#d0d0d0;--accent:#0b57a4;--ok:#146c2e;--warn:#8a5300;--bad:#a4161a}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:var(--ink);background:#fff}
a{color:var(--accent)}
a:focus,button:focus,input:focus,select:focus{outline:3px solid #f0b400;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
header{display:flex;flex-wrap:wrap;gap:8px;justify-content:space-between;align-items:center;padding:10px 16px;background:#0b3d70;color:#fff}
header a{color:#fff}.site{font-weight:700;font-size:1.1rem;text-decoration:none}
main{max-width:60rem;margin:0 auto;padding:12px 16px 32px}
h1{font-size:1.35rem;margin:.6em 0}h2{font-size:1.1rem;margin:1.4em 0 .5em;border-bottom:1px solid var(--line)}
form.search{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end}
label{display:block;font-size:.9rem;color:var(--muted)}
input,select,button{font:inherit;padding:8px 10px;border:1px solid #888;border-radius:6px;min-height:44px;max-width:100%}
input[type=search],input[type=text]{width:100%}
.grow{flex:1 1 16rem}
button{background:var(--accent);color:#fff;border-color:var(--accent);cursor:pointer}
details{margin:8px 0}
.filters{display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:8px;margin-top:8px}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{width:34%;color:var(--muted);font-weight:600}
.data th{width:auto;white-space:nowrap}
.data td:first-child,.data td:nth-child(2){white-space:nowrap}
.wrap{overflow-x:auto}
.badge{display:inline-block;padding:2px 10px;border-radius:12px;font-weight:700;border:2px solid currentColor}
.s-valid{color:var(--ok)}.s-suspended,.s-not_yet_valid{color:var(--warn)}.s-revoked,.s-withdrawn,.s-expired,.s-fail{color:var(--bad)}
.notice{border-left:6px solid var(--warn);background:#fff6e5;padding:8px 12px;margin:12px 0}
.notice.bad{border-color:var(--bad);background:#fdecec}
.notice.good{border-color:var(--ok);background:#eaf6ec}
.verified{font-size:.9rem;color:var(--muted);border-top:1px solid var(--line);padding-top:8px}
.qr{float:right;width:132px;margin:0 0 8px 12px;text-align:center;font-size:.75rem;color:var(--muted)}
.qr img{width:132px;height:132px}
.results li{list-style:none;border:1px solid var(--line);border-radius:8px;padding:10px 12px;margin:8px 0}
.results{padding:0}
.mono{font-family:ui-monospace,monospace;word-break:break-all}
footer{max-width:60rem;margin:0 auto;padding:16px;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line)}
@media print{header nav,form,.noprint,footer{display:none}header{background:none;color:#000}header a{color:#000}a{color:#000;text-decoration:none}.qr{display:block}}
</style>
</head>
<body>
<a class="skip" href="#main">{{T_SKIP}}</a>
<header>
<a class="site" href="/">{{T_SITE}}</a>
<nav aria-label="{{T_NAV}}"><a href="/verify">{{T_VERIFY_NAV}}</a> · <a href="{{SWITCH_URL}}" hreflang="{{SWITCH_LANG}}" lang="{{SWITCH_LANG}}" id="lang-switch">{{SWITCH_LABEL}}</a></nav>
</header>
<main id="main">
{{>CONTENT}}
</main>
<footer>{{T_FOOTER}}</footer>
</body>
</html>
