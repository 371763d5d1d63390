<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Op</name>
    <message>
        <source>CareRounds</source>
        <translation>CareRounds</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>An unexpected error occurred:
{error}</source>
        <translation>An unexpected error occurred:
{error}</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>Unexpected error</translation>
    </message>
</context>
</TS>
