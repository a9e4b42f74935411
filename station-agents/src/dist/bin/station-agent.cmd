@echo off
rem The station agent of a tester PC: station-agent --station AA-01 --input D:\aa01\out --config agent.properties
rem JAVA_OPTS for the JVM; needs a Java 17 runtime on the PATH or in JAVA_HOME.
set HERE=%~dp0..
if defined JAVA_HOME (set JAVA="%JAVA_HOME%\bin\java") else (set JAVA=java)
if not defined JAVA_OPTS set JAVA_OPTS=-Xmx256m
%JAVA% %JAVA_OPTS% -cp "%HERE%\lib\*" com.cpo.agent.StationAgentMain %*
