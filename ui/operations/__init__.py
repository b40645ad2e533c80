"""The program's file actions, one module per thing a user asks for.

Each is a small function taking the :class:`ui.context.AppContext`: it asks (dialogs), runs the
work off the GUI thread through the one task runner (``context.tasks.run_task``: a busy bar only
for slow work, a failure to the one error display), then shows the result. The menus and
buttons call these; nothing here is a widget.

- ``export_report``: the open or selected visit's feedback report, as Word or PDF
- ``export_package``: a review package for the network administrator
- ``import_packages``: reviewers' packages merged into this database
- ``backup_now``, ``restore_backup``, ``retention``: the database's backups, and deleting old visits
- ``sync``: the laptop's changes sent to the network server and the network's received
- ``new_visit``, ``settings``: planning a visit, and the settings dialog
"""
