"""The application shell: start-up, the main window, sign-in and set-up, the workspace, settings, theme,
translations, fonts and background tasks. May use every ui package and the services; never the store.
"""
