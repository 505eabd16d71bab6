{{%AUTOESCAPE context="HTML"}}<h1>{{NAME}}</h1>
<table>
<tr><th>{{T_BODY_NUMBER}}</th><td class="mono" id="approval">{{APPROVAL_NUMBER}}</td></tr>
<tr><th>{{T_ACCREDITED}}</th><td>{{ACCREDITED}}</td></tr>
</table>
<h2>{{T_WINDOWS}}</h2>
<div class="wrap"><table class="data"><thead><tr><th scope="col">{{T_FROM}}</th><th scope="col">{{T_UNTIL}}</th></tr></thead><tbody>
{{#WINDOW}}<tr><td>{{FROM}}</td><td>{{UNTIL}}</td></tr>{{/WINDOW}}
</tbody></table></div>
<h2>{{T_KEYS}}</h2>
<div class="wrap"><table class="data"><thead><tr><th scope="col">{{T_KEY_ID}}</th><th scope="col">{{T_REGISTERED}}</th><th scope="col">{{T_RETIRED}}</th></tr></thead><tbody>
{{#KEY}}<tr><td class="mono">{{KEY_ID}}</td><td>{{REGISTERED}}</td><td>{{RETIRED}}</td></tr>{{/KEY}}
</tbody></table></div>
<p><a href="{{SEARCH_HREF}}">{{T_BODY_CERTIFICATES}}</a></p>
