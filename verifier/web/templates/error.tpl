{{%AUTOESCAPE context="HTML"}}<h1 id="error-title">{{HEADING}}</h1>
<p class="notice bad" role="alert" id="error-message">{{MESSAGE}}</p>
<form class="search" method="get" action="/" role="search">
<div class="grow"><label for="q">{{T_QUERY_LABEL}}</label><input type="search" id="q" name="q" maxlength="200"></div>
<button type="submit">{{T_SEARCH}}</button></form>
