{{%AUTOESCAPE context="HTML"}}<div class="qr"><img src="{{QR_SVG}}" alt="{{T_QR_ALT}}"><br><a href="{{QR_PNG}}" class="noprint">PNG</a></div>
<h1>{{T_CERTIFICATE}} <span class="mono" id="number">{{NUMBER}}</span></h1>
<p><span class="badge s-{{STATUS_CLASS}}" id="status">{{STATUS}}</span> <span id="status-date">{{T_STATUS_AS_OF}} {{AS_OF}}</span></p>
{{#REASON}}<p class="notice">{{TEXT}}</p>{{/REASON}}
{{#STALE}}<p class="notice" role="alert" id="stale">{{MESSAGE}}</p>{{/STALE}}
{{#LATER}}<p class="notice">{{MESSAGE}}</p>{{/LATER}}
<form method="get" action="{{SELF}}" class="search noprint">
<div><label for="as_of">{{T_AS_OF_PICK}}</label><input type="date" id="as_of" name="as_of" value="{{AS_OF}}" required></div>
<button type="submit" id="as-of-button">{{T_SHOW}}</button></form>
<h2>{{T_CERTIFICATE_SECTION}}</h2>
<table>
<tr><th>{{T_NUMBER}}</th><td class="mono">{{NUMBER}}</td></tr>
<tr><th>{{T_STATUS}}</th><td>{{STATUS}}</td></tr>
<tr><th>{{T_ISSUE_DATE}}</th><td>{{ISSUE_DATE}}</td></tr>
<tr><th>{{T_EXPIRY_DATE}}</th><td>{{EXPIRY_DATE}}</td></tr>
<tr><th>{{T_FIRST_ISSUE_DATE}}</th><td>{{FIRST_ISSUE_DATE}}</td></tr>
<tr><th>{{T_TYPE}}</th><td>{{TYPE}}</td></tr>
<tr><th>{{T_ITEM}}</th><td>{{ITEM_NAME}} ({{ITEM_CODE}})</td></tr>
<tr><th>{{T_BASIS}}</th><td>{{BASIS}}</td></tr>
{{#STAR}}<tr><th>{{T_STAR}}</th><td id="star">{{STAR_NAME}} ({{T_SCORE}} {{SCORE}})</td></tr>{{/STAR}}
<tr><th>{{T_SURVEILLANCE_COUNT}}</th><td>{{SURVEILLANCE_COUNT}}</td></tr>
<tr><th>{{T_LAST_SURVEILLANCE}}</th><td>{{LAST_SURVEILLANCE}}</td></tr>
<tr><th>{{T_RECERTIFICATIONS}}</th><td>{{RECERTIFICATIONS}}</td></tr>
<tr><th>{{T_SCOPE}}</th><td id="scope">{{SCOPE}}</td></tr>
</table>
<h2>{{T_ORGANISATION}}</h2>
<table>
<tr><th>{{T_HOLDER}}</th><td id="holder">{{HOLDER}}</td></tr>
<tr><th>{{T_CREDIT_CODE}}</th><td class="mono">{{CREDIT_CODE}}</td></tr>
<tr><th>{{T_ADDRESS}}</th><td>{{ADDRESS}}</td></tr>
{{#SITE}}<tr><th>{{T_SITE_ROW}}</th><td>{{NAME}}: {{ADDRESS}}</td></tr>{{/SITE}}
</table>
<h2>{{T_BODY}}</h2>
<table>
<tr><th>{{T_BODY_NAME}}</th><td>{{BODY_NAME}}</td></tr>
<tr><th>{{T_BODY_NUMBER}}</th><td><a href="{{BODY_HREF}}" class="mono">{{BODY_NUMBER}}</a></td></tr>
</table>
<h2>{{T_HISTORY}}</h2>
<div class="wrap"><table class="data" id="history">
<thead><tr><th scope="col">{{T_DATE}}</th><th scope="col">{{T_ACTIVITY}}</th><th scope="col">{{T_DETAILS}}</th><th scope="col">{{T_LEAF}}</th></tr></thead>
<tbody>{{#EVENT}}<tr><td>{{DATE}}</td><td>{{KIND}}</td><td>{{DETAILS}}</td><td class="mono">{{LEAF}}</td></tr>{{/EVENT}}</tbody>
</table></div>
<p class="verified" id="verified">{{VERIFIED_LINE}} <a href="{{BUNDLE_HREF}}" download id="bundle-link">{{T_BUNDLE}}</a></p>
<p class="verified">{{T_CANONICAL}} <span class="mono">{{CANONICAL_URL}}</span></p>
