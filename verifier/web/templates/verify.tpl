{{%AUTOESCAPE context="HTML"}}<h1>{{T_VERIFY_TITLE}}</h1>
<p>{{T_VERIFY_INTRO}}</p>
<form method="get" action="/verify" id="verify-form">
<div><label for="number">{{T_NUMBER}}</label><input type="text" id="number" name="number" value="{{NUMBER}}" required maxlength="64"></div>
<div><label for="holder">{{T_HOLDER}}</label><input type="text" id="holder" name="holder" value="{{HOLDER}}" maxlength="200"></div>
<div><label for="scope">{{T_SCOPE_TERMS}}</label><input type="text" id="scope" name="scope" value="{{SCOPE}}" maxlength="400"></div>
<div><label for="star">{{T_MIN_STAR}}</label><select id="star" name="star">{{#STAR_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/STAR_OPTION}}</select></div>
<div><label for="as_of">{{T_AS_OF_DEADLINE}}</label><input type="date" id="as_of" name="as_of" value="{{AS_OF}}"></div>
<p><button type="submit" id="verify-button">{{T_VERIFY}}</button></p>
</form>
{{#ERROR}}<p class="notice bad" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#RESULT}}<p class="notice {{VERDICT_CLASS}}" role="status" id="verdict"><strong>{{VERDICT}}</strong></p>
<div class="wrap"><table class="data" id="checks"><thead><tr><th scope="col">{{T_CHECK}}</th><th scope="col">{{T_RESULT}}</th><th scope="col">{{T_DETAILS}}</th></tr></thead><tbody>
{{#CHECK}}<tr><td class="mono">{{NAME}}</td><td>{{OUTCOME}}</td><td>{{DETAIL}}</td></tr>{{/CHECK}}
</tbody></table></div>
{{#LINK}}<p><a href="{{HREF}}">{{T_OPEN_CERTIFICATE}}</a></p>{{/LINK}}{{/RESULT}}
