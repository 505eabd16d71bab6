{{%AUTOESCAPE context="HTML"}}<h1>{{T_SEARCH_TITLE}}</h1>
<form class="search" method="get" action="/" role="search">
<div class="grow"><label for="q">{{T_QUERY_LABEL}}</label>
<input type="search" id="q" name="q" value="{{QUERY}}" maxlength="200" placeholder="{{T_QUERY_HINT}}" autocomplete="off"></div>
<button type="submit" id="search-button">{{T_SEARCH}}</button>
<details class="grow"{{#FILTERS_OPEN}} open{{/FILTERS_OPEN}}><summary>{{T_FILTERS}}</summary>
<div class="filters">
<div><label for="type">{{T_TYPE}}</label><select id="type" name="type">{{#TYPE_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/TYPE_OPTION}}</select></div>
<div><label for="status">{{T_STATUS}}</label><select id="status" name="status">{{#STATUS_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>{{/STATUS_OPTION}}</select></div>
<div><label for="item">{{T_ITEM}}</label><input type="text" id="item" name="item" value="{{ITEM}}" maxlength="5" placeholder="A01"></div>
<div><label for="body">{{T_BODY_NUMBER}}</label><input type="text" id="body" name="body" value="{{BODY}}" maxlength="40" placeholder="CNCA-R-2002-001"></div>
<div><label for="as_of">{{T_AS_OF}}</label><input type="date" id="as_of" name="as_of" value="{{AS_OF}}"></div>
</div></details>
</form>
{{#ERROR}}<p class="notice bad" role="alert">{{MESSAGE}}</p>{{/ERROR}}
{{#RESULTS}}<p id="result-count">{{SUMMARY}}</p>
<ul class="results">{{#HIT}}
<li><a href="{{HREF}}" class="mono">{{NUMBER}}</a> <span class="badge s-{{STATUS_CLASS}}">{{STATUS}}</span><br>
<strong>{{HOLDER}}</strong><br>
<span>{{ITEM_NAME}}{{#STAR}} · {{STAR_NAME}}{{/STAR}}</span><br>
<span>{{BODY_NAME}} · {{T_EXPIRY}} {{EXPIRY}}</span></li>{{/HIT}}
</ul>
{{#NEXT}}<p><a href="{{HREF}}" rel="next" id="next-page">{{T_NEXT}}</a></p>{{/NEXT}}
{{/RESULTS}}
{{#INTRO}}<p>{{T_INTRO}}</p>{{/INTRO}}
