"""An app that exists only in the tests of `guanxi worker`: it declares one periodic job, in its tasks.py,
and nothing else (that is all an app does to add one). Installed by jobs_app.settings in subprocesses."""
