<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AddDeviceDialog</name>
    <message>
        <source>Add a device</source>
        <translation>Add a device</translation>
    </message>
    <message>
        <source>for example: nurse station laptop</source>
        <translation>for example: nurse station laptop</translation>
    </message>
    <message>
        <source>The join package holds a full copy of the center's records. Choose a passphrase of at least 10 characters that is not easy to guess, and tell it to the person setting up the laptop in person or by phone.</source>
        <translation>The join package holds a full copy of the center's records. Choose a passphrase of at least 10 characters that is not easy to guess, and tell it to the person setting up the laptop in person or by phone.</translation>
    </message>
    <message>
        <source>New device:</source>
        <translation>New device:</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>Passphrase a&amp;gain:</source>
        <translation>Passphrase a&amp;gain:</translation>
    </message>
    <message>
        <source>Write join package…</source>
        <translation>Write join package…</translation>
    </message>
</context>
<context>
    <name>AgreementsPanel</name>
    <message>
        <source>Agreements</source>
        <translation>Agreements</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>open-ended</source>
        <translation>open-ended</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Round days</source>
        <translation>Round days</translation>
    </message>
    <message>
        <source>Per week</source>
        <translation>Per week</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>empty = open-ended</source>
        <translation>empty = open-ended</translation>
    </message>
    <message>
        <source>New</source>
        <translation>New</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Add a&amp;greement</source>
        <translation>Add a&amp;greement</translation>
    </message>
    <message>
        <source>&amp;until</source>
        <translation>&amp;until</translation>
    </message>
    <message>
        <source>Fr&amp;om:</source>
        <translation>Fr&amp;om:</translation>
    </message>
    <message>
        <source>Round &amp;weekdays:</source>
        <translation>Round &amp;weekdays:</translation>
    </message>
    <message>
        <source>&amp;Team:</source>
        <translation>&amp;Team:</translation>
    </message>
    <message>
        <source>At &amp;least, rounds a week:</source>
        <translation>At &amp;least, rounds a week:</translation>
    </message>
    <message>
        <source>Ser&amp;vices:</source>
        <translation>Ser&amp;vices:</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
    <message>
        <source>Save a&amp;greement</source>
        <translation>Save a&amp;greement</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Audit trail</source>
        <translation>Audit trail</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>Everyone</translation>
    </message>
    <message>
        <source>&amp;Person:</source>
        <translation>&amp;Person:</translation>
    </message>
    <message>
        <source>Name, pinyin initials or ID number</source>
        <translation>Name, pinyin initials or ID number</translation>
    </message>
    <message>
        <source>&amp;Resident:</source>
        <translation>&amp;Resident:</translation>
    </message>
    <message>
        <source>Fro&amp;m</source>
        <translation>Fro&amp;m</translation>
    </message>
    <message>
        <source>to</source>
        <translation>to</translation>
    </message>
    <message>
        <source>&amp;Verify…</source>
        <translation>&amp;Verify…</translation>
    </message>
    <message>
        <source>Check that no entry was changed, removed or reordered</source>
        <translation>Check that no entry was changed, removed or reordered</translation>
    </message>
    <message>
        <source>Select an entry to see every field it changed.</source>
        <translation>Select an entry to see every field it changed.</translation>
    </message>
    <message>
        <source>audit</source>
        <translation>audit</translation>
    </message>
    <message>
        <source> (disabled)</source>
        <translation> (disabled)</translation>
    </message>
    <message>
        <source>The newest {shown} of {total} entries</source>
        <translation>The newest {shown} of {total} entries</translation>
    </message>
    <message>
        <source>{count} entries</source>
        <translation>{count} entries</translation>
    </message>
    <message>
        <source>Record id: {id}</source>
        <translation>Record id: {id}</translation>
    </message>
    <message>
        <source>Resident: {name}</source>
        <translation>Resident: {name}</translation>
    </message>
    <message>
        <source>Checking the audit trail…</source>
        <translation>Checking the audit trail…</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Person</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>Resident</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Changes</translation>
    </message>
</context>
<context>
    <name>BackupDialog</name>
    <message>
        <source>Backup and restore</source>
        <translation>Backup and restore</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>Backups</translation>
    </message>
    <message>
        <source>Kept in {folder}</source>
        <translation>Kept in {folder}</translation>
    </message>
    <message>
        <source>A backup is made at the first start of each day. The last 7 daily backups and one per week for 4 weeks are kept; backups made before a restore, a sync import or an upgrade are kept for at least 30 days.</source>
        <translation>A backup is made at the first start of each day. The last 7 daily backups and one per week for 4 weeks are kept; backups made before a restore, a sync import or an upgrade are kept for at least 30 days.</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>&amp;Back up now</translation>
    </message>
    <message>
        <source>&amp;Restore…</source>
        <translation>&amp;Restore…</translation>
    </message>
    <message>
        <source>Put the database back to the selected backup</source>
        <translation>Put the database back to the selected backup</translation>
    </message>
    <message>
        <source>From another &amp;file…</source>
        <translation>From another &amp;file…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Only an administrator can back up and restore.</source>
        <translation>Only an administrator can back up and restore.</translation>
    </message>
    <message>
        <source>There is no backup in this folder yet.</source>
        <translation>There is no backup in this folder yet.</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>Backing up…</translation>
    </message>
    <message>
        <source>Backed up to {file} ({size}).</source>
        <translation>Backed up to {file} ({size}).</translation>
    </message>
    <message>
        <source>Restore from a backup file</source>
        <translation>Restore from a backup file</translation>
    </message>
    <message>
        <source>CareRounds backups (*.sqlite *.db);;All files (*)</source>
        <translation>CareRounds backups (*.sqlite *.db);;All files (*)</translation>
    </message>
    <message>
        <source>Restore the database</source>
        <translation>Restore the database</translation>
    </message>
    <message>
        <source>Put the database back to the backup of {when}?</source>
        <translation>Put the database back to the backup of {when}?</translation>
    </message>
    <message>
        <source>Everything entered on this computer since then is replaced by the backup. The current state is backed up first, so the restore can be undone. Changes already sent to other computers come back with the next sync.</source>
        <translation>Everything entered on this computer since then is replaced by the backup. The current state is backed up first, so the restore can be undone. Changes already sent to other computers come back with the next sync.</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restore</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>Restoring…</translation>
    </message>
    <message>
        <source>Restoring the database…</source>
        <translation>Restoring the database…</translation>
    </message>
    <message>
        <source>Restored from {file}. The state before the restore is saved as {safety}.</source>
        <translation>Restored from {file}. The state before the restore is saved as {safety}.</translation>
    </message>
</context>
<context>
    <name>BackupTableModel</name>
    <message>
        <source>Made on</source>
        <translation>Made on</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>Weekly</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>Daily</translation>
    </message>
    <message>
        <source>Made by hand</source>
        <translation>Made by hand</translation>
    </message>
    <message>
        <source>Before a restore</source>
        <translation>Before a restore</translation>
    </message>
    <message>
        <source>Before a sync import</source>
        <translation>Before a sync import</translation>
    </message>
    <message>
        <source>Before an upgrade</source>
        <translation>Before an upgrade</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Other</translation>
    </message>
</context>
<context>
    <name>BedsModel</name>
    <message>
        <source>Institution</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>Bed</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Indication</source>
        <translation>Indication</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>Opened</translation>
    </message>
    <message>
        <source>Bed-days</source>
        <translation>Bed-days</translation>
    </message>
    <message>
        <source>Last check</source>
        <translation>Last check</translation>
    </message>
    <message>
        <source>Weeks missed</source>
        <translation>Weeks missed</translation>
    </message>
    <message>
        <source>Orders due today</source>
        <translation>Orders due today</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>none yet</translation>
    </message>
    <message>
        <source>closed {day}</source>
        <translation>closed {day}</translation>
    </message>
    <message>
        <source>A bed is checked at least once in every 7 days from its opening.</source>
        <translation>A bed is checked at least once in every 7 days from its opening.</translation>
    </message>
</context>
<context>
    <name>BedsPage</name>
    <message>
        <source>Family beds</source>
        <translation>Family beds</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>&amp;Institution:</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Show &amp;closed beds</source>
        <translation>Show &amp;closed beds</translation>
    </message>
    <message>
        <source>&amp;Open bed…</source>
        <translation>&amp;Open bed…</translation>
    </message>
    <message>
        <source>Record c&amp;heck…</source>
        <translation>Record c&amp;heck…</translation>
    </message>
    <message>
        <source>Clos&amp;e bed…</source>
        <translation>Clos&amp;e bed…</translation>
    </message>
    <message>
        <source>&amp;Print list…</source>
        <translation>&amp;Print list…</translation>
    </message>
    <message>
        <source>Loading family beds…</source>
        <translation>Loading family beds…</translation>
    </message>
    <message>
        <source>{count} open, {missed} with checks missed</source>
        <translation>{count} open, {missed} with checks missed</translation>
    </message>
    <message>
        <source>{name}, {home} {bed} — {indication}; doctor: {doctor}</source>
        <translation>{name}, {home} {bed} — {indication}; doctor: {doctor}</translation>
    </message>
    <message>
        <source>Care plan: {plan}</source>
        <translation>Care plan: {plan}</translation>
    </message>
    <message>
        <source>{order} every {days} days</source>
        <translation>{order} every {days} days</translation>
    </message>
    <message>
        <source>Orders: {orders}</source>
        <translation>Orders: {orders}</translation>
    </message>
    <message>
        <source>Checked {day} by {who}: {findings}</source>
        <translation>Checked {day} by {who}: {findings}</translation>
    </message>
    <message>
        <source>Next check due by {day}.</source>
        <translation>Next check due by {day}.</translation>
    </message>
    <message>
        <source>Closed {day}: {summary}</source>
        <translation>Closed {day}: {summary}</translation>
    </message>
    <message>
        <source>Open a family bed: choose the resident</source>
        <translation>Open a family bed: choose the resident</translation>
    </message>
    <message>
        <source>Preparing the family beds list…</source>
        <translation>Preparing the family beds list…</translation>
    </message>
</context>
<context>
    <name>CancelDialog</name>
    <message>
        <source>Cancel a round</source>
        <translation>Cancel a round</translation>
    </message>
    <message>
        <source>Cancel the round at {institution} on {day}? The agreement asks for at least one round a week.</source>
        <translation>Cancel the round at {institution} on {day}? The agreement asks for at least one round a week.</translation>
    </message>
    <message>
        <source>&amp;Reason (required):</source>
        <translation>&amp;Reason (required):</translation>
    </message>
    <message>
        <source>Cancel round</source>
        <translation>Cancel round</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change my password</source>
        <translation>Change my password</translation>
    </message>
    <message>
        <source>Choose your own password</source>
        <translation>Choose your own password</translation>
    </message>
    <message>
        <source>Signed in as {login} with a password an administrator set. Choose a password of your own before you go on: at least 8 characters, not the login and not the password you were given.</source>
        <translation>Signed in as {login} with a password an administrator set. Choose a password of your own before you go on: at least 8 characters, not the login and not the password you were given.</translation>
    </message>
    <message>
        <source>Signed in as {login}. The new password needs at least 8 characters and must differ from the login.</source>
        <translation>Signed in as {login}. The new password needs at least 8 characters and must differ from the login.</translation>
    </message>
    <message>
        <source>&amp;Current password:</source>
        <translation>&amp;Current password:</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>&amp;New password:</translation>
    </message>
    <message>
        <source>&amp;Repeat the new password:</source>
        <translation>&amp;Repeat the new password:</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>Change password</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>Enter your current password.</source>
        <translation>Enter your current password.</translation>
    </message>
    <message>
        <source>Enter the new password.</source>
        <translation>Enter the new password.</translation>
    </message>
    <message>
        <source>The two new passwords are not the same.</source>
        <translation>The two new passwords are not the same.</translation>
    </message>
</context>
<context>
    <name>CheckBedDialog</name>
    <message>
        <source>Record a check — {name}</source>
        <translation>Record a check — {name}</translation>
    </message>
    <message>
        <source>Checked &amp;on:</source>
        <translation>Checked &amp;on:</translation>
    </message>
    <message>
        <source>&amp;Findings:</source>
        <translation>&amp;Findings:</translation>
    </message>
    <message>
        <source>Orders carried out:</source>
        <translation>Orders carried out:</translation>
    </message>
    <message>
        <source>Save check</source>
        <translation>Save check</translation>
    </message>
</context>
<context>
    <name>CloseBedDialog</name>
    <message>
        <source>Close the family bed — {name}</source>
        <translation>Close the family bed — {name}</translation>
    </message>
    <message>
        <source>Closed &amp;on:</source>
        <translation>Closed &amp;on:</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Reason:</translation>
    </message>
    <message>
        <source>Discharge &amp;summary:</source>
        <translation>Discharge &amp;summary:</translation>
    </message>
    <message>
        <source>Close bed</source>
        <translation>Close bed</translation>
    </message>
</context>
<context>
    <name>ConflictModel</name>
    <message>
        <source>Record</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>What</source>
        <translation>What</translation>
    </message>
    <message>
        <source>Value applied</source>
        <translation>Value applied</translation>
    </message>
    <message>
        <source>Other value</source>
        <translation>Other value</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>Found</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <source>Conflicts</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>Show resol&amp;ved</source>
        <translation>Show resol&amp;ved</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Read the conflicts again (F5)</source>
        <translation>Read the conflicts again (F5)</translation>
    </message>
    <message>
        <source>&amp;Not the same person: keep both residents</source>
        <translation>&amp;Not the same person: keep both residents</translation>
    </message>
    <message>
        <source>Only a doctor or an administrator can choose which value to keep; your role can look at the conflicts but not resolve them.</source>
        <translation>Only a doctor or an administrator can choose which value to keep; your role can look at the conflicts but not resolve them.</translation>
    </message>
    <message>
        <source>Same ID number twice</source>
        <translation>Same ID number twice</translation>
    </message>
    <message>
        <source>Two open family beds</source>
        <translation>Two open family beds</translation>
    </message>
    <message>
        <source>Deleted vs. changed</source>
        <translation>Deleted vs. changed</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>Building</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>Room</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>Bed</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Triage colour</source>
        <translation>Triage colour</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Guardian</source>
        <translation>Guardian</translation>
    </message>
    <message>
        <source>Guardian's phone</source>
        <translation>Guardian's phone</translation>
    </message>
    <message>
        <source>Care level</source>
        <translation>Care level</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Findings</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Actions</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>Resident</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>Agreement</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Staff</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>deleted</translation>
    </message>
    <message>
        <source>kept (not deleted)</source>
        <translation>kept (not deleted)</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>(removed)</source>
        <translation>(removed)</translation>
    </message>
    <message>
        <source>To review</source>
        <translation>To review</translation>
    </message>
    <message>
        <source>Settled by a later change</source>
        <translation>Settled by a later change</translation>
    </message>
    <message>
        <source>Kept apart</source>
        <translation>Kept apart</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>Merged</translation>
    </message>
    <message>
        <source>Value chosen</source>
        <translation>Value chosen</translation>
    </message>
    <message>
        <source>{n} to review</source>
        <translation>{n} to review</translation>
    </message>
    <message>
        <source>Nothing to review</source>
        <translation>Nothing to review</translation>
    </message>
    <message>
        <source>Choose a conflict in the list to see both values.</source>
        <translation>Choose a conflict in the list to see both values.</translation>
    </message>
    <message>
        <source>Resident recorded first</source>
        <translation>Resident recorded first</translation>
    </message>
    <message>
        <source>Resident recorded again</source>
        <translation>Resident recorded again</translation>
    </message>
    <message>
        <source>Keep the &amp;first, merge the other into it</source>
        <translation>Keep the &amp;first, merge the other into it</translation>
    </message>
    <message>
        <source>Keep the &amp;second, merge the other into it</source>
        <translation>Keep the &amp;second, merge the other into it</translation>
    </message>
    <message>
        <source>Bed opened first</source>
        <translation>Bed opened first</translation>
    </message>
    <message>
        <source>Bed opened later</source>
        <translation>Bed opened later</translation>
    </message>
    <message>
        <source>Keep the &amp;first bed, move the other's orders and checks to it</source>
        <translation>Keep the &amp;first bed, move the other's orders and checks to it</translation>
    </message>
    <message>
        <source>Keep the &amp;second bed, move the other's orders and checks to it</source>
        <translation>Keep the &amp;second bed, move the other's orders and checks to it</translation>
    </message>
    <message>
        <source>Applied on every device now</source>
        <translation>Applied on every device now</translation>
    </message>
    <message>
        <source>The other value</source>
        <translation>The other value</translation>
    </message>
    <message>
        <source>&amp;Keep the value applied</source>
        <translation>&amp;Keep the value applied</translation>
    </message>
    <message>
        <source>&amp;Use the other value instead</source>
        <translation>&amp;Use the other value instead</translation>
    </message>
    <message>
        <source>on {device}, {when}</source>
        <translation>on {device}, {when}</translation>
    </message>
</context>
<context>
    <name>DailyQuantityDialog</name>
    <message>
        <source>Daily quantity — {medication}</source>
        <translation>Daily quantity — {medication}</translation>
    </message>
    <message>
        <source>Units a &amp;day:</source>
        <translation>Units a &amp;day:</translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation>&amp;Unit:</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Fetch the figures again (F5)</source>
        <translation>Fetch the figures again (F5)</translation>
    </message>
    <message>
        <source>Record &amp;visits of this round</source>
        <translation>Record &amp;visits of this round</translation>
    </message>
    <message>
        <source>Signed institutions</source>
        <translation>Signed institutions</translation>
    </message>
    <message>
        <source>Residents in residence</source>
        <translation>Residents in residence</translation>
    </message>
    <message>
        <source>Rounds this week</source>
        <translation>Rounds this week</translation>
    </message>
    <message>
        <source>Residents overdue for a visit</source>
        <translation>Residents overdue for a visit</translation>
    </message>
    <message>
        <source>Agreements</source>
        <translation>Agreements</translation>
    </message>
    <message>
        <source>Today's rounds</source>
        <translation>Today's rounds</translation>
    </message>
    <message>
        <source>Figures for {date}</source>
        <translation>Figures for {date}</translation>
    </message>
    <message>
        <source>by triage colour</source>
        <translation>by triage colour</translation>
    </message>
    <message>
        <source>as on the Overdue page: due at an earlier round (visit interval, yearly check or follow-up) and not seen since</source>
        <translation>as on the Overdue page: due at an earlier round (visit interval, yearly check or follow-up) and not seen since</translation>
    </message>
    <message>
        <source>rounds this week (cancelled ones not counted)</source>
        <translation>rounds this week (cancelled ones not counted)</translation>
    </message>
    <message>
        <source>of which held:</source>
        <translation>of which held:</translation>
    </message>
    <message>
        <source>of which still to come:</source>
        <translation>of which still to come:</translation>
    </message>
    <message>
        <source>cancelled (not counted above):</source>
        <translation>cancelled (not counted above):</translation>
    </message>
    <message>
        <source>institutions whose agreement needs renewing</source>
        <translation>institutions whose agreement needs renewing</translation>
    </message>
    <message>
        <source>ends within {days} days:</source>
        <translation>ends within {days} days:</translation>
    </message>
    <message>
        <source>has ended:</source>
        <translation>has ended:</translation>
    </message>
    <message>
        <source>by kind</source>
        <translation>by kind</translation>
    </message>
    <message>
        <source>Choose one and press Enter to record its visits.</source>
        <translation>Choose one and press Enter to record its visits.</translation>
    </message>
    <message>
        <source>Recording visits is for doctors and nurses.</source>
        <translation>Recording visits is for doctors and nurses.</translation>
    </message>
    <message>
        <source>No round is planned for today.</source>
        <translation>No round is planned for today.</translation>
    </message>
    <message>
        <source>✓ done</source>
        <translation>✓ done</translation>
    </message>
    <message>
        <source>○ planned</source>
        <translation>○ planned</translation>
    </message>
    <message>
        <source>{institution} · {team} — {status}, {count} visit(s) recorded</source>
        <translation>{institution} · {team} — {status}, {count} visit(s) recorded</translation>
    </message>
</context>
<context>
    <name>DayDialog</name>
    <message>
        <source>&amp;Institution:</source>
        <translation>&amp;Institution:</translation>
    </message>
    <message>
        <source>&amp;Day:</source>
        <translation>&amp;Day:</translation>
    </message>
</context>
<context>
    <name>DispenseDialog</name>
    <message>
        <source>Record a refill — {name}</source>
        <translation>Record a refill — {name}</translation>
    </message>
    <message>
        <source>Medication:</source>
        <translation>Medication:</translation>
    </message>
    <message>
        <source>Dispensed &amp;on:</source>
        <translation>Dispensed &amp;on:</translation>
    </message>
    <message>
        <source>&amp;Quantity:</source>
        <translation>&amp;Quantity:</translation>
    </message>
    <message>
        <source>&amp;Collected by:</source>
        <translation>&amp;Collected by:</translation>
    </message>
</context>
<context>
    <name>DoseChangesSection</name>
    <message>
        <source>Do&amp;se changes:</source>
        <translation>Do&amp;se changes:</translation>
    </message>
    <message>
        <source>A new daily quantity, or Stop: applied when the visit is saved; the refill list follows</source>
        <translation>A new daily quantity, or Stop: applied when the visit is saved; the refill list follows</translation>
    </message>
    <message>
        <source>{name} {quantity} {unit}/day →</source>
        <translation>{name} {quantity} {unit}/day →</translation>
    </message>
    <message>
        <source>New daily quantity of {name}</source>
        <translation>New daily quantity of {name}</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Stop {name}</source>
        <translation>Stop {name}</translation>
    </message>
</context>
<context>
    <name>DueModel</name>
    <message>
        <source>No.</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>Bed</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Colour</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Last seen</translation>
    </message>
    <message>
        <source>Why due</source>
        <translation>Why due</translation>
    </message>
    <message>
        <source>never</source>
        <translation>never</translation>
    </message>
</context>
<context>
    <name>ExcelExport</name>
    <message>
        <source>Export E&amp;xcel…</source>
        <translation>Export E&amp;xcel…</translation>
    </message>
    <message>
        <source>Save this list, with its filters, as an Excel workbook</source>
        <translation>Save this list, with its filters, as an Excel workbook</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>Export to Excel</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Exporting…</translation>
    </message>
</context>
<context>
    <name>FollowUpSection</name>
    <message>
        <source>&amp;Hypertension:</source>
        <translation>&amp;Hypertension:</translation>
    </message>
    <message>
        <source>Diabetes:</source>
        <translation>Diabetes:</translation>
    </message>
    <message>
        <source>— not classified</source>
        <translation>— not classified</translation>
    </message>
    <message>
        <source>— adherence</source>
        <translation>— adherence</translation>
    </message>
    <message>
        <source>height cm</source>
        <translation>height cm</translation>
    </message>
    <message>
        <source>— foot pulses</source>
        <translation>— foot pulses</translation>
    </message>
    <message>
        <source>Lifestyle advice: salt, diet, exercise, smoking, alcohol</source>
        <translation>Lifestyle advice: salt, diet, exercise, smoking, alcohol</translation>
    </message>
    <message>
        <source>Follow-up form:</source>
        <translation>Follow-up form:</translation>
    </message>
    <message>
        <source>Choose after measuring (target below 140/90 mmHg, 150/90 from 65)</source>
        <translation>Choose after measuring (target below 140/90 mmHg, 150/90 from 65)</translation>
    </message>
    <message>
        <source>Choose after measuring (fasting glucose below 7.0 mmol/L)</source>
        <translation>Choose after measuring (fasting glucose below 7.0 mmol/L)</translation>
    </message>
    <message>
        <source>Why: {why}</source>
        <translation>Why: {why}</translation>
    </message>
    <message>
        <source>Suggested: {choice} — {why}</source>
        <translation>Suggested: {choice} — {why}</translation>
    </message>
    <message>
        <source>BMI {value}</source>
        <translation>BMI {value}</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>When</source>
        <translation>When</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Colour</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>Suggested</translation>
    </message>
    <message>
        <source>By</source>
        <translation>By</translation>
    </message>
    <message>
        <source>Override reason</source>
        <translation>Override reason</translation>
    </message>
</context>
<context>
    <name>InstitutionFilter</name>
    <message>
        <source>All institutions</source>
        <translation>All institutions</translation>
    </message>
</context>
<context>
    <name>InstitutionsPage</name>
    <message>
        <source>Institutions</source>
        <translation>Institutions</translation>
    </message>
    <message>
        <source>&amp;New institution</source>
        <translation>&amp;New institution</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Fetch the list again (F5)</source>
        <translation>Fetch the list again (F5)</translation>
    </message>
    <message>
        <source>Read-only: your role may look at institutions and agreements but not change them.</source>
        <translation>Read-only: your role may look at institutions and agreements but not change them.</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Beds</source>
        <translation>Beds</translation>
    </message>
    <message>
        <source>In residence</source>
        <translation>In residence</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>Signed</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>Coverage</translation>
    </message>
    <message>
        <source>Agreement until</source>
        <translation>Agreement until</translation>
    </message>
    <message>
        <source>open-ended</source>
        <translation>open-ended</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>Agreement</translation>
    </message>
    <message>
        <source>Round days</source>
        <translation>Round days</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>&amp;Save institution</source>
        <translation>&amp;Save institution</translation>
    </message>
    <message>
        <source>N&amp;ame:</source>
        <translation>N&amp;ame:</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Kind:</translation>
    </message>
    <message>
        <source>Add&amp;ress:</source>
        <translation>Add&amp;ress:</translation>
    </message>
    <message>
        <source>&amp;Beds:</source>
        <translation>&amp;Beds:</translation>
    </message>
    <message>
        <source>Internal &amp;medical unit:</source>
        <translation>Internal &amp;medical unit:</translation>
    </message>
    <message>
        <source>&amp;Contact person:</source>
        <translation>&amp;Contact person:</translation>
    </message>
    <message>
        <source>Contact &amp;phone:</source>
        <translation>Contact &amp;phone:</translation>
    </message>
    <message>
        <source>&amp;Green-channel hospital:</source>
        <translation>&amp;Green-channel hospital:</translation>
    </message>
    <message>
        <source>Green-channel p&amp;hone:</source>
        <translation>Green-channel p&amp;hone:</translation>
    </message>
    <message>
        <source>Expiring within {days} days: {names}</source>
        <translation>Expiring within {days} days: {names}</translation>
    </message>
    <message>
        <source>Expired or no agreement: {names}</source>
        <translation>Expired or no agreement: {names}</translation>
    </message>
    <message>
        <source>✓ Every agreement is in force.</source>
        <translation>✓ Every agreement is in force.</translation>
    </message>
    <message>
        <source>Institution: {name}</source>
        <translation>Institution: {name}</translation>
    </message>
    <message>
        <source>Last changed by {who}</source>
        <translation>Last changed by {who}</translation>
    </message>
    <message>
        <source>New institution</source>
        <translation>New institution</translation>
    </message>
    <message>
        <source>Institution: choose one in the list</source>
        <translation>Institution: choose one in the list</translation>
    </message>
    <message>
        <source>&amp;Add institution</source>
        <translation>&amp;Add institution</translation>
    </message>
</context>
<context>
    <name>JoinCenterDialog</name>
    <message>
        <source>Join a center</source>
        <translation>Join a center</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>empty: the name given when the join package was made</source>
        <translation>empty: the name given when the join package was made</translation>
    </message>
    <message>
        <source>&amp;Join package:</source>
        <translation>&amp;Join package:</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Passphrase:</translation>
    </message>
    <message>
        <source>This device's &amp;name:</source>
        <translation>This device's &amp;name:</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>Join</translation>
    </message>
    <message>
        <source>Use the join package and passphrase made on the center's workstation.</source>
        <translation>Use the join package and passphrase made on the center's workstation.</translation>
    </message>
    <message>
        <source>Join package</source>
        <translation>Join package</translation>
    </message>
    <message>
        <source>Choose the join package first.</source>
        <translation>Choose the join package first.</translation>
    </message>
    <message>
        <source>Setting up this device…</source>
        <translation>Setting up this device…</translation>
    </message>
</context>
<context>
    <name>LockBanner</name>
    <message>
        <source>&amp;Correct…</source>
        <translation>&amp;Correct…</translation>
    </message>
    <message>
        <source>Correct this visit: saving makes a new version (Ctrl+E)</source>
        <translation>Correct this visit: saving makes a new version (Ctrl+E)</translation>
    </message>
    <message>
        <source>the command line</source>
        <translation>the command line</translation>
    </message>
    <message>
        <source>Saved visit, version {version}, recorded by {who} on {when}.</source>
        <translation>Saved visit, version {version}, recorded by {who} on {when}.</translation>
    </message>
    <message>
        <source>It corrects version {previous}.</source>
        <translation>It corrects version {previous}.</translation>
    </message>
    <message>
        <source>A saved visit is locked: a correction is saved as a new version and the old one stays in the history (Ctrl+E).</source>
        <translation>A saved visit is locked: a correction is saved as a new version and the old one stays in the history (Ctrl+E).</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Sign out</source>
        <translation>&amp;Sign out</translation>
    </message>
    <message>
        <source>Change my &amp;password…</source>
        <translation>Change my &amp;password…</translation>
    </message>
    <message>
        <source>&amp;Backup and restore…</source>
        <translation>&amp;Backup and restore…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Settings</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Preferences…</translation>
    </message>
    <message>
        <source>&amp;Triage rules…</source>
        <translation>&amp;Triage rules…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <source>CareRounds</source>
        <translation>CareRounds</translation>
    </message>
    <message>
        <source>{name} ({role})</source>
        <translation>{name} ({role})</translation>
    </message>
    <message>
        <source>Read-only: CareRounds may not write the database file {path} (no write permission on the file or its folder). You can look at everything, but no change can be saved. To make changes, ask the administrator for write permission, then open CareRounds again.</source>
        <translation>Read-only: CareRounds may not write the database file {path} (no write permission on the file or its folder). You can look at everything, but no change can be saved. To make changes, ask the administrator for write permission, then open CareRounds again.</translation>
    </message>
    <message>
        <source>Creating the demo center (first use only)…</source>
        <translation>Creating the demo center (first use only)…</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>Opening the database…</translation>
    </message>
    <message>
        <source>Demo logins: {logins} …, password {password}</source>
        <translation>Demo logins: {logins} …, password {password}</translation>
    </message>
    <message>
        <source>The database {path} cannot be opened: {reason}</source>
        <translation>The database {path} cannot be opened: {reason}</translation>
    </message>
    <message>
        <source>This computer joined {center} as “{device}”. Sign in with your usual login.</source>
        <translation>This computer joined {center} as “{device}”. Sign in with your usual login.</translation>
    </message>
    <message>
        <source>Not encrypted — Encrypt the database…</source>
        <translation>Not encrypted — Encrypt the database…</translation>
    </message>
    <message>
        <source>Anyone who copies this database file can read every record. Encrypt it (administrator).</source>
        <translation>Anyone who copies this database file can read every record. Encrypt it (administrator).</translation>
    </message>
    <message>
        <source>Encrypt the database?</source>
        <translation>Encrypt the database?</translation>
    </message>
    <message>
        <source>This database is not encrypted: anyone who copies the file can read every resident's record. Encrypt it now? It takes a moment; then a recovery key is shown once, to print and keep in the center's safe. Close other CareRounds windows on this computer first.</source>
        <translation>This database is not encrypted: anyone who copies the file can read every resident's record. Encrypt it now? It takes a moment; then a recovery key is shown once, to print and keep in the center's safe. Close other CareRounds windows on this computer first.</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <source>The database is encrypted. This is its recovery key, shown only now:

{key}

Print it or copy it by hand and lock it in the center's safe, never with the computer. If every administrator password is lost, it opens the database to reset one.</source>
        <translation>The database is encrypted. This is its recovery key, shown only now:

{key}

Print it or copy it by hand and lock it in the center's safe, never with the computer. If every administrator password is lost, it opens the database to reset one.</translation>
    </message>
    <message>
        <source>The database is encrypted.</source>
        <translation>The database is encrypted.</translation>
    </message>
    <message>
        <source>The daily backup failed — details…</source>
        <translation>The daily backup failed — details…</translation>
    </message>
    <message>
        <source>The daily backup failed</source>
        <translation>The daily backup failed</translation>
    </message>
    <message>
        <source>The daily backup failed: {reason}</source>
        <translation>The daily backup failed: {reason}</translation>
    </message>
    <message>
        <source>Triage rules</source>
        <translation>Triage rules</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Your password was changed.</source>
        <translation>Your password was changed.</translation>
    </message>
    <message>
        <source>The new language takes effect when CareRounds starts again.</source>
        <translation>The new language takes effect when CareRounds starts again.</translation>
    </message>
    <message>
        <source>Open a database on a ser&amp;ver…</source>
        <translation>Open a database on a ser&amp;ver…</translation>
    </message>
</context>
<context>
    <name>NotesSection</name>
    <message>
        <source>Symptoms and findings, e.g. dizziness, oedema</source>
        <translation>Symptoms and findings, e.g. dizziness, oedema</translation>
    </message>
    <message>
        <source>What was done or advised</source>
        <translation>What was done or advised</translation>
    </message>
    <message>
        <source>Started, stopped or changed doses</source>
        <translation>Started, stopped or changed doses</translation>
    </message>
    <message>
        <source>F&amp;indings:</source>
        <translation>F&amp;indings:</translation>
    </message>
    <message>
        <source>&amp;Actions:</source>
        <translation>&amp;Actions:</translation>
    </message>
    <message>
        <source>&amp;Medication changes:</source>
        <translation>&amp;Medication changes:</translation>
    </message>
</context>
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
<context>
    <name>OpenBedDialog</name>
    <message>
        <source>Open a family bed — {name}</source>
        <translation>Open a family bed — {name}</translation>
    </message>
    <message>
        <source>e.g. pressure ulcer stage II, long-term catheter</source>
        <translation>e.g. pressure ulcer stage II, long-term catheter</translation>
    </message>
    <message>
        <source> days</source>
        <translation> days</translation>
    </message>
    <message>
        <source>what exactly (optional)</source>
        <translation>what exactly (optional)</translation>
    </message>
    <message>
        <source>&amp;Add order</source>
        <translation>&amp;Add order</translation>
    </message>
    <message>
        <source>&amp;Remove order</source>
        <translation>&amp;Remove order</translation>
    </message>
    <message>
        <source>&amp;Indication:</source>
        <translation>&amp;Indication:</translation>
    </message>
    <message>
        <source>Opened &amp;on:</source>
        <translation>Opened &amp;on:</translation>
    </message>
    <message>
        <source>Care &amp;plan:</source>
        <translation>Care &amp;plan:</translation>
    </message>
    <message>
        <source>every</source>
        <translation>every</translation>
    </message>
    <message>
        <source>Orders (医嘱), from the opening day:</source>
        <translation>Orders (医嘱), from the opening day:</translation>
    </message>
    <message>
        <source>Open bed</source>
        <translation>Open bed</translation>
    </message>
    <message>
        <source>{kind} every {days} days</source>
        <translation>{kind} every {days} days</translation>
    </message>
</context>
<context>
    <name>OverdueModel</name>
    <message>
        <source>Days overdue</source>
        <translation>Days overdue</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>Bed</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Colour</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>Last visit</translation>
    </message>
    <message>
        <source>Outstanding</source>
        <translation>Outstanding</translation>
    </message>
    <message>
        <source>Contact phone</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <source>never</source>
        <translation>never</translation>
    </message>
</context>
<context>
    <name>OverduePage</name>
    <message>
        <source>Overdue residents</source>
        <translation>Overdue residents</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>&amp;Institution:</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>&amp;Print list…</source>
        <translation>&amp;Print list…</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>overdue</translation>
    </message>
    <message>
        <source>Due at an earlier round and not seen since. Days count from that round.</source>
        <translation>Due at an earlier round and not seen since. Days count from that round.</translation>
    </message>
    <message>
        <source>Finding overdue residents…</source>
        <translation>Finding overdue residents…</translation>
    </message>
    <message>
        <source>{count} overdue: {detail}</source>
        <translation>{count} overdue: {detail}</translation>
    </message>
    <message>
        <source>Preparing the overdue list…</source>
        <translation>Preparing the overdue list…</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>Set a colour</source>
        <translation>Set a colour</translation>
    </message>
    <message>
        <source>Set the colour of {count} resident(s) instead of the suggestion. The reason is kept in the colour history.</source>
        <translation>Set the colour of {count} resident(s) instead of the suggestion. The reason is kept in the colour history.</translation>
    </message>
    <message>
        <source>e.g. stable for three months, family present daily</source>
        <translation>e.g. stable for three months, family present daily</translation>
    </message>
    <message>
        <source>&amp;Reason (required):</source>
        <translation>&amp;Reason (required):</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>New password for {name}</source>
        <translation>New password for {name}</translation>
    </message>
    <message>
        <source>At least 8 characters, not the same as the login.</source>
        <translation>At least 8 characters, not the same as the login.</translation>
    </message>
    <message>
        <source>At least 8 characters, not the same as the login. Tell it to {name} in person: at the next sign-in they must replace it with a password of their own.</source>
        <translation>At least 8 characters, not the same as the login. Tell it to {name} in person: at the next sign-in they must replace it with a password of their own.</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>&amp;New password:</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>&amp;Repeat:</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>Set password</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>The two passwords are not the same.</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>Preparing the preview…</source>
        <translation>Preparing the preview…</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>&amp;Print…</translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation>&amp;Save as PDF…</translation>
    </message>
    <message>
        <source>&amp;Open in PDF reader</source>
        <translation>&amp;Open in PDF reader</translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <translation>Page {page} of {pages}</translation>
    </message>
    <message>
        <source>{pages} page(s). Print it, save it, or open it in a PDF reader.</source>
        <translation>{pages} page(s). Print it, save it, or open it in a PDF reader.</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation>Saved to {path}</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>Preparing the pages for the printer…</source>
        <translation>Preparing the pages for the printer…</translation>
    </message>
    <message>
        <source>The printer cannot be used.</source>
        <translation>The printer cannot be used.</translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <translation>Sent to the printer.</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Preferences</translation>
    </message>
    <message>
        <source>A new language takes effect when CareRounds starts again.</source>
        <translation>A new language takes effect when CareRounds starts again.</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Light</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dark</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>&amp;Theme:</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Look in:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Files of &amp;type:</translation>
    </message>
</context>
<context>
    <name>Questions</name>
    <message>
        <source>Record visits</source>
        <translation>Record visits</translation>
    </message>
    <message>
        <source>Add a referral</source>
        <translation>Add a referral</translation>
    </message>
    <message>
        <source>Save without a referral</source>
        <translation>Save without a referral</translation>
    </message>
    <message>
        <source>Also record {name} as “{status}” from {date}? The residence status changes and the resident is no longer due for rounds.</source>
        <translation>Also record {name} as “{status}” from {date}? The residence status changes and the resident is no longer due for rounds.</translation>
    </message>
    <message>
        <source>Save and change the status</source>
        <translation>Save and change the status</translation>
    </message>
    <message>
        <source>Save the visit only</source>
        <translation>Save the visit only</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>This visit recorded {name} as “{status}” from {date}; the corrected outcome no longer says so. Also undo that status change (back to “{previous}”)?</source>
        <translation>This visit recorded {name} as “{status}” from {date}; the corrected outcome no longer says so. Also undo that status change (back to “{previous}”)?</translation>
    </message>
    <message>
        <source>Save and undo the status</source>
        <translation>Save and undo the status</translation>
    </message>
    <message>
        <source>This visit recorded {name} as “{status}” from {date}; the corrected visit is dated {day}. Also change the date of that status to {day}?</source>
        <translation>This visit recorded {name} as “{status}” from {date}; the corrected visit is dated {day}. Also change the date of that status to {day}?</translation>
    </message>
    <message>
        <source>Save and change the status date</source>
        <translation>Save and change the status date</translation>
    </message>
    <message>
        <source>Save as a correction of it</source>
        <translation>Save as a correction of it</translation>
    </message>
    <message numerus="yes">
        <source>%n visit entry(ies) were being typed when CareRounds last stopped and were not saved:</source>
        <translation>
            <numerusform>%n visit entry(ies) were being typed when CareRounds last stopped and were not saved:</numerusform>
            <numerusform>%n visit entry(ies) were being typed when CareRounds last stopped and were not saved:</numerusform>
        </translation>
    </message>
    <message>
        <source>Open them</source>
        <translation>Open them</translation>
    </message>
    <message>
        <source>Discard them</source>
        <translation>Discard them</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Later</translation>
    </message>
</context>
<context>
    <name>RecordAssessmentsTab</name>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>Assessed by</source>
        <translation>Assessed by</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Remove the chosen assessment</source>
        <translation>Remove the chosen assessment</translation>
    </message>
    <message>
        <source>(not assessed yet)</source>
        <translation>(not assessed yet)</translation>
    </message>
    <message>
        <source>{level} ({points} points)</source>
        <translation>{level} ({points} points)</translation>
    </message>
    <message>
        <source>(not asked yet)</source>
        <translation>(not asked yet)</translation>
    </message>
    <message>
        <source>Level {level}</source>
        <translation>Level {level}</translation>
    </message>
    <message>
        <source>Care &amp;level:</source>
        <translation>Care &amp;level:</translation>
    </message>
    <message>
        <source>The fall caused an &amp;injury</source>
        <translation>The fall caused an &amp;injury</translation>
    </message>
    <message>
        <source>(not filled in yet)</source>
        <translation>(not filled in yet)</translation>
    </message>
    <message>
        <source>Abnormal findings and guidance (required)</source>
        <translation>Abnormal findings and guidance (required)</translation>
    </message>
    <message>
        <source>Doctor's summary:</source>
        <translation>Doctor's summary:</translation>
    </message>
    <message>
        <source>&amp;Record assessment</source>
        <translation>&amp;Record assessment</translation>
    </message>
    <message>
        <source>New assessment</source>
        <translation>New assessment</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Kind:</translation>
    </message>
    <message>
        <source>&amp;Date:</source>
        <translation>&amp;Date:</translation>
    </message>
    <message>
        <source>N&amp;otes:</source>
        <translation>N&amp;otes:</translation>
    </message>
    <message>
        <source>&amp;Date of the fall:</source>
        <translation>&amp;Date of the fall:</translation>
    </message>
    <message>
        <source>{n} item(s) not assessed yet: no score</source>
        <translation>{n} item(s) not assessed yet: no score</translation>
    </message>
    <message>
        <source>Score {score}: {band}</source>
        <translation>Score {score}: {band}</translation>
    </message>
    <message>
        <source>{score} “yes” so far; {n} not asked yet: no result</source>
        <translation>{score} “yes” so far; {n} not asked yet: no result</translation>
    </message>
    <message>
        <source>Score {score}: {result}</source>
        <translation>Score {score}: {result}</translation>
    </message>
    <message>
        <source>— refer for a diagnosis unless one is recorded</source>
        <translation>— refer for a diagnosis unless one is recorded</translation>
    </message>
</context>
<context>
    <name>RecordConditionsTab</name>
    <message>
        <source>Choose from the list or type a diagnosis</source>
        <translation>Choose from the list or type a diagnosis</translation>
    </message>
    <message>
        <source>Current (uncheck when resolved)</source>
        <translation>Current (uncheck when resolved)</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Condition</translation>
    </message>
    <message>
        <source>&amp;Condition:</source>
        <translation>&amp;Condition:</translation>
    </message>
    <message>
        <source>&amp;ICD-10 code:</source>
        <translation>&amp;ICD-10 code:</translation>
    </message>
    <message>
        <source>&amp;Diagnosed on:</source>
        <translation>&amp;Diagnosed on:</translation>
    </message>
    <message>
        <source>ICD-10</source>
        <translation>ICD-10</translation>
    </message>
    <message>
        <source>Diagnosed</source>
        <translation>Diagnosed</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>current</source>
        <translation>current</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>resolved</translation>
    </message>
    <message>
        <source>&amp;Add condition</source>
        <translation>&amp;Add condition</translation>
    </message>
    <message>
        <source>&amp;Save condition</source>
        <translation>&amp;Save condition</translation>
    </message>
</context>
<context>
    <name>RecordFlagsTab</name>
    <message>
        <source>&amp;Family bed (ordered by a doctor)</source>
        <translation>&amp;Family bed (ordered by a doctor)</translation>
    </message>
    <message>
        <source>&amp;Hospice care</source>
        <translation>&amp;Hospice care</translation>
    </message>
    <message>
        <source>&amp;Long-term-care insurance</source>
        <translation>&amp;Long-term-care insurance</translation>
    </message>
    <message>
        <source>&amp;Save flags</source>
        <translation>&amp;Save flags</translation>
    </message>
    <message>
        <source>    &amp;Start:</source>
        <translation>    &amp;Start:</translation>
    </message>
    <message>
        <source>    &amp;End:</source>
        <translation>    &amp;End:</translation>
    </message>
    <message>
        <source>Care le&amp;vel:</source>
        <translation>Care le&amp;vel:</translation>
    </message>
    <message>
        <source>Levels 2–6 qualify for long-term-care insurance. A new care-level assessment sets the level.</source>
        <translation>Levels 2–6 qualify for long-term-care insurance. A new care-level assessment sets the level.</translation>
    </message>
    <message>
        <source>Open family bed</source>
        <translation>Open family bed</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Order</translation>
    </message>
    <message>
        <source>Every</source>
        <translation>Every</translation>
    </message>
    <message>
        <source>{days} d</source>
        <translation>{days} d</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>Due today</translation>
    </message>
    <message>
        <source>Not assessed</source>
        <translation>Not assessed</translation>
    </message>
    <message>
        <source>Level {level}</source>
        <translation>Level {level}</translation>
    </message>
    <message>
        <source>No open family bed. Doctors open, change and close beds on the Family beds page.</source>
        <translation>No open family bed. Doctors open, change and close beds on the Family beds page.</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>not checked yet</translation>
    </message>
    <message>
        <source>{indication} — doctor {doctor}</source>
        <translation>{indication} — doctor {doctor}</translation>
    </message>
    <message>
        <source>none named</source>
        <translation>none named</translation>
    </message>
    <message>
        <source>Open since {since}, {days} bed-days; last check {last}, next due by {due}</source>
        <translation>Open since {since}, {days} bed-days; last check {last}, next due by {due}</translation>
    </message>
    <message>
        <source>⚠ {weeks} weeks without a check</source>
        <translation>⚠ {weeks} weeks without a check</translation>
    </message>
    <message>
        <source>Care plan: {plan}</source>
        <translation>Care plan: {plan}</translation>
    </message>
</context>
<context>
    <name>RecordIdentityTab</name>
    <message>
        <source>18 characters; a final x is fine</source>
        <translation>18 characters; a final x is fine</translation>
    </message>
    <message>
        <source>&amp;Save identity</source>
        <translation>&amp;Save identity</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>I&amp;D card number:</source>
        <translation>I&amp;D card number:</translation>
    </message>
    <message>
        <source>&amp;Birth date:</source>
        <translation>&amp;Birth date:</translation>
    </message>
    <message>
        <source>Se&amp;x:</source>
        <translation>Se&amp;x:</translation>
    </message>
    <message>
        <source>Insurance n&amp;umber:</source>
        <translation>Insurance n&amp;umber:</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>&amp;Phone:</translation>
    </message>
    <message>
        <source>Health &amp;record number:</source>
        <translation>Health &amp;record number:</translation>
    </message>
    <message>
        <source>Guardian or contact</source>
        <translation>Guardian or contact</translation>
    </message>
    <message>
        <source>&amp;Guardian:</source>
        <translation>&amp;Guardian:</translation>
    </message>
    <message>
        <source>Re&amp;lationship:</source>
        <translation>Re&amp;lationship:</translation>
    </message>
    <message>
        <source>Guardian's p&amp;hone:</source>
        <translation>Guardian's p&amp;hone:</translation>
    </message>
    <message>
        <source>(from the ID number)</source>
        <translation>(from the ID number)</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Male</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Female</translation>
    </message>
    <message>
        <source>{n} more character(s) to go</source>
        <translation>{n} more character(s) to go</translation>
    </message>
    <message>
        <source>male</source>
        <translation>male</translation>
    </message>
    <message>
        <source>female</source>
        <translation>female</translation>
    </message>
    <message>
        <source>✓ valid: {sex}, born {birth}, {age} years old</source>
        <translation>✓ valid: {sex}, born {birth}, {age} years old</translation>
    </message>
    <message>
        <source>An old 15-digit number: it is saved as {number}, with a note.</source>
        <translation>An old 15-digit number: it is saved as {number}, with a note.</translation>
    </message>
</context>
<context>
    <name>RecordMedicationsTab</name>
    <message>
        <source>e.g. 5mg</source>
        <translation>e.g. 5mg</translation>
    </message>
    <message>
        <source>e.g. 每日1次</source>
        <translation>e.g. 每日1次</translation>
    </message>
    <message>
        <source>units a day, e.g. 2 or 0.5</source>
        <translation>units a day, e.g. 2 or 0.5</translation>
    </message>
    <message>
        <source>For proxy refills: the units taken a day. A change applies from today to what is left; 0 stops the medication from today; empty: not followed for refills.</source>
        <translation>For proxy refills: the units taken a day. A change applies from today to what is left; 0 stops the medication from today; empty: not followed for refills.</translation>
    </message>
    <message>
        <source>片, 粒, 支…</source>
        <translation>片, 粒, 支…</translation>
    </message>
    <message>
        <source>Medications</source>
        <translation>Medications</translation>
    </message>
    <message>
        <source>Medi&amp;cation:</source>
        <translation>Medi&amp;cation:</translation>
    </message>
    <message>
        <source>&amp;Frequency:</source>
        <translation>&amp;Frequency:</translation>
    </message>
    <message>
        <source>&amp;Dose:</source>
        <translation>&amp;Dose:</translation>
    </message>
    <message>
        <source>S&amp;topped:</source>
        <translation>S&amp;topped:</translation>
    </message>
    <message>
        <source>Sta&amp;rted:</source>
        <translation>Sta&amp;rted:</translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation>&amp;Unit:</translation>
    </message>
    <message>
        <source>Daily &amp;quantity:</source>
        <translation>Daily &amp;quantity:</translation>
    </message>
    <message>
        <source>Allergies</source>
        <translation>Allergies</translation>
    </message>
    <message>
        <source>A&amp;llergen:</source>
        <translation>A&amp;llergen:</translation>
    </message>
    <message>
        <source>Reactio&amp;n:</source>
        <translation>Reactio&amp;n:</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>Medication</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>Dose</translation>
    </message>
    <message>
        <source>Frequency</source>
        <translation>Frequency</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Started</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Stopped</translation>
    </message>
    <message>
        <source>A day</source>
        <translation>A day</translation>
    </message>
    <message>
        <source>Runs out</source>
        <translation>Runs out</translation>
    </message>
    <message>
        <source>Allergen</source>
        <translation>Allergen</translation>
    </message>
    <message>
        <source>Reaction</source>
        <translation>Reaction</translation>
    </message>
    <message>
        <source>&amp;Add medication</source>
        <translation>&amp;Add medication</translation>
    </message>
    <message>
        <source>&amp;Save medication</source>
        <translation>&amp;Save medication</translation>
    </message>
    <message>
        <source>never dispensed</source>
        <translation>never dispensed</translation>
    </message>
    <message>
        <source>not running out</source>
        <translation>not running out</translation>
    </message>
    <message>
        <source>ran out {day}</source>
        <translation>ran out {day}</translation>
    </message>
    <message>
        <source>⚠ ran out on {day}: no refill since</source>
        <translation>⚠ ran out on {day}: no refill since</translation>
    </message>
    <message>
        <source>lasts until {day}</source>
        <translation>lasts until {day}</translation>
    </message>
    <message>
        <source>Add allerg&amp;y</source>
        <translation>Add allerg&amp;y</translation>
    </message>
    <message>
        <source>Save allerg&amp;y</source>
        <translation>Save allerg&amp;y</translation>
    </message>
</context>
<context>
    <name>RecordResidenceTab</name>
    <message>
        <source>A new bed or institution is a move on this date; the previous bed stays in the history.</source>
        <translation>A new bed or institution is a move on this date; the previous bed stays in the history.</translation>
    </message>
    <message>
        <source>&amp;Save residence</source>
        <translation>&amp;Save residence</translation>
    </message>
    <message>
        <source>Buildin&amp;g</source>
        <translation>Buildin&amp;g</translation>
    </message>
    <message>
        <source>R&amp;oom</source>
        <translation>R&amp;oom</translation>
    </message>
    <message>
        <source>B&amp;ed</source>
        <translation>B&amp;ed</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>&amp;Institution:</translation>
    </message>
    <message>
        <source>Bed:</source>
        <translation>Bed:</translation>
    </message>
    <message>
        <source>A&amp;dmission date:</source>
        <translation>A&amp;dmission date:</translation>
    </message>
    <message>
        <source>&amp;Move date:</source>
        <translation>&amp;Move date:</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>&amp;Change status</source>
        <translation>&amp;Change status</translation>
    </message>
    <message>
        <source>Now:</source>
        <translation>Now:</translation>
    </message>
    <message>
        <source>New s&amp;tatus:</source>
        <translation>New s&amp;tatus:</translation>
    </message>
    <message>
        <source>Da&amp;te:</source>
        <translation>Da&amp;te:</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>N&amp;ote:</translation>
    </message>
    <message>
        <source>Beds and institutions</source>
        <translation>Beds and institutions</translation>
    </message>
    <message>
        <source>Status history</source>
        <translation>Status history</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>now</source>
        <translation>now</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>Bed</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Change status</source>
        <translation>Change status</translation>
    </message>
    <message>
        <source>Record that {name} is “{status}” as of {date}? The current stay ends on that day.</source>
        <translation>Record that {name} is “{status}” as of {date}? The current stay ends on that day.</translation>
    </message>
</context>
<context>
    <name>RecordSigningTab</name>
    <message>
        <source>&amp;Save signing</source>
        <translation>&amp;Save signing</translation>
    </message>
    <message>
        <source>Si&amp;gned on:</source>
        <translation>Si&amp;gned on:</translation>
    </message>
    <message>
        <source>Family &amp;doctor:</source>
        <translation>Family &amp;doctor:</translation>
    </message>
    <message>
        <source>Service &amp;package:</source>
        <translation>Service &amp;package:</translation>
    </message>
    <message>
        <source>Leave everything empty if the resident has not signed with a family doctor.</source>
        <translation>Leave everything empty if the resident has not signed with a family doctor.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(none)</translation>
    </message>
</context>
<context>
    <name>RecordVisitsTab</name>
    <message>
        <source>Referred</source>
        <translation>Referred</translation>
    </message>
    <message>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Record the outcome (closes the referral)</source>
        <translation>Record the outcome (closes the referral)</translation>
    </message>
    <message>
        <source>Referrals</source>
        <translation>Referrals</translation>
    </message>
    <message>
        <source>Outcome of the chosen referral:</source>
        <translation>Outcome of the chosen referral:</translation>
    </message>
    <message>
        <source>on</source>
        <translation>on</translation>
    </message>
    <message>
        <source>closed {date}: {outcome}</source>
        <translation>closed {date}: {outcome}</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <source>Use the recovery key</source>
        <translation>Use the recovery key</translation>
    </message>
    <message>
        <source>If every administrator password is lost: type the recovery key printed when the center was set up or encrypted, the administrator's login and a new password for it.</source>
        <translation>If every administrator password is lost: type the recovery key printed when the center was set up or encrypted, the administrator's login and a new password for it.</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <source>Administrator's login</source>
        <translation>Administrator's login</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>New password again</translation>
    </message>
    <message>
        <source>Reset the password</source>
        <translation>Reset the password</translation>
    </message>
    <message>
        <source>Fill in the recovery key, the login and the new password.</source>
        <translation>Fill in the recovery key, the login and the new password.</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>The two new passwords differ.</translation>
    </message>
</context>
<context>
    <name>ReferralSection</name>
    <message>
        <source>— still open</source>
        <translation>— still open</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>&amp;Urgent</source>
        <translation>&amp;Urgent</translation>
    </message>
    <message>
        <source>Green channel</source>
        <translation>Green channel</translation>
    </message>
    <message>
        <source>&amp;Referral to:</source>
        <translation>&amp;Referral to:</translation>
    </message>
    <message>
        <source>e.g. {hospital} (green channel)</source>
        <translation>e.g. {hospital} (green channel)</translation>
    </message>
    <message>
        <source>Hospital or department</source>
        <translation>Hospital or department</translation>
    </message>
    <message>
        <source>Open referral of {date} to {destination}: its outcome</source>
        <translation>Open referral of {date} to {destination}: its outcome</translation>
    </message>
</context>
<context>
    <name>RefillModel</name>
    <message>
        <source>Bed</source>
        <translation>Bed</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>Medication</translation>
    </message>
    <message>
        <source>How taken</source>
        <translation>How taken</translation>
    </message>
    <message>
        <source>Runs out</source>
        <translation>Runs out</translation>
    </message>
    <message>
        <source>To dispense</source>
        <translation>To dispense</translation>
    </message>
    <message>
        <source>Last dispensed</source>
        <translation>Last dispensed</translation>
    </message>
    <message>
        <source>never dispensed</source>
        <translation>never dispensed</translation>
    </message>
    <message>
        <source>{day} (ran out)</source>
        <translation>{day} (ran out)</translation>
    </message>
</context>
<context>
    <name>RefillsPage</name>
    <message>
        <source>Proxy refills</source>
        <translation>Proxy refills</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>&amp;Institution:</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Round &amp;day:</source>
        <translation>Round &amp;day:</translation>
    </message>
    <message>
        <source>Record refi&amp;ll…</source>
        <translation>Record refi&amp;ll…</translation>
    </message>
    <message>
        <source>Daily &amp;quantity…</source>
        <translation>Daily &amp;quantity…</translation>
    </message>
    <message>
        <source>&amp;Print refill list…</source>
        <translation>&amp;Print refill list…</translation>
    </message>
    <message>
        <source>Choose an institution: the refill list is made per home and round.</source>
        <translation>Choose an institution: the refill list is made per home and round.</translation>
    </message>
    <message>
        <source>Making the refill list…</source>
        <translation>Making the refill list…</translation>
    </message>
    <message>
        <source>Long-term medications that run out on or before the next round ({next}).</source>
        <translation>Long-term medications that run out on or before the next round ({next}).</translation>
    </message>
    <message>
        <source>{count} to refill, {ran_out} already ran out</source>
        <translation>{count} to refill, {ran_out} already ran out</translation>
    </message>
    <message>
        <source>Preparing the refill list…</source>
        <translation>Preparing the refill list…</translation>
    </message>
    <message>
        <source>Proxy refill list</source>
        <translation>Proxy refill list</translation>
    </message>
</context>
<context>
    <name>ReportCharts</name>
    <message>
        <source>Weekly rounds per home</source>
        <translation>Weekly rounds per home</translation>
    </message>
    <message>
        <source>Colour mix at each month end</source>
        <translation>Colour mix at each month end</translation>
    </message>
    <message>
        <source>BP and glucose control by quarter</source>
        <translation>BP and glucose control by quarter</translation>
    </message>
    <message>
        <source>Residents overdue at the end of each week</source>
        <translation>Residents overdue at the end of each week</translation>
    </message>
    <message>
        <source>Drawing the charts…</source>
        <translation>Drawing the charts…</translation>
    </message>
    <message>
        <source>Week of %1: %2 held of %3 agreed, %4 cancelled</source>
        <translation>Week of %1: %2 held of %3 agreed, %4 cancelled</translation>
    </message>
    <message>
        <source>✓ held as agreed   ✗ missed   ⊘ missed, a round cancelled   (rounds held / agreed that week)</source>
        <translation>✓ held as agreed   ✗ missed   ⊘ missed, a round cancelled   (rounds held / agreed that week)</translation>
    </message>
    <message>
        <source>○ not confirmed</source>
        <translation>○ not confirmed</translation>
    </message>
    <message>
        <source>Residents</source>
        <translation>Residents</translation>
    </message>
    <message>
        <source>BP controlled %</source>
        <translation>BP controlled %</translation>
    </message>
    <message>
        <source>Glucose controlled %</source>
        <translation>Glucose controlled %</translation>
    </message>
    <message>
        <source>Overdue residents</source>
        <translation>Overdue residents</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Reports</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>Quarter</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Month</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>From … to</source>
        <translation>From … to</translation>
    </message>
    <message>
        <source>All institutions</source>
        <translation>All institutions</translation>
    </message>
    <message>
        <source>&amp;Compute</source>
        <translation>&amp;Compute</translation>
    </message>
    <message>
        <source>Compute the figures of the period (F5)</source>
        <translation>Compute the figures of the period (F5)</translation>
    </message>
    <message>
        <source>Export E&amp;xcel</source>
        <translation>Export E&amp;xcel</translation>
    </message>
    <message>
        <source>Export &amp;PDF</source>
        <translation>Export &amp;PDF</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>&amp;Period:</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>&amp;Institution:</translation>
    </message>
    <message>
        <source>Double-click a figure to see the residents, rounds or weeks behind it.</source>
        <translation>Double-click a figure to see the residents, rounds or weeks behind it.</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>Figures</translation>
    </message>
    <message>
        <source>Computing the figures of %1…</source>
        <translation>Computing the figures of %1…</translation>
    </message>
    <message>
        <source>Computing the figures…</source>
        <translation>Computing the figures…</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>Indicator</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Previous (%1)</source>
        <translation>Previous (%1)</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>Double-click to see the list behind this figure</source>
        <translation>Double-click to see the list behind this figure</translation>
    </message>
    <message>
        <source>%1 — %2 to %3; compared with %4. Weeks count once they have ended (report day %5).</source>
        <translation>%1 — %2 to %3; compared with %4. Weeks count once they have ended (report day %5).</translation>
    </message>
    <message>
        <source>%1 — %2 to %3, in progress: counted to date (%5); compared with %4. Weeks count once they have ended.</source>
        <translation>%1 — %2 to %3, in progress: counted to date (%5); compared with %4. Weeks count once they have ended.</translation>
    </message>
    <message>
        <source>the center</source>
        <translation>the center</translation>
    </message>
    <message>
        <source>%1 — %2: %3 lines</source>
        <translation>%1 — %2: %3 lines</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Bed, sex, born</source>
        <translation>Bed, sex, born</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Week of</source>
        <translation>Week of</translation>
    </message>
    <message>
        <source>Held / agreed</source>
        <translation>Held / agreed</translation>
    </message>
    <message>
        <source>Listing…</source>
        <translation>Listing…</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Save the return</source>
        <translation>Save the return</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>Wrote %1</translation>
    </message>
    <message>
        <source>Writing the return…</source>
        <translation>Writing the return…</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Charts</translation>
    </message>
</context>
<context>
    <name>ResidentFinderDialog</name>
    <message>
        <source>Find a resident</source>
        <translation>Find a resident</translation>
    </message>
    <message>
        <source>Any resident, also one not due at this round (an unplanned visit).</source>
        <translation>Any resident, also one not due at this round (an unplanned visit).</translation>
    </message>
    <message>
        <source>Name, pinyin initials, bed or last digits of the ID number</source>
        <translation>Name, pinyin initials, bed or last digits of the ID number</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>&amp;Search:</translation>
    </message>
    <message>
        <source>Record a visit</source>
        <translation>Record a visit</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>The first {count} residents; type more to narrow.</source>
        <translation>The first {count} residents; type more to narrow.</translation>
    </message>
    <message numerus="yes">
        <source>%n resident(s)</source>
        <translation>
            <numerusform>%n resident(s)</numerusform>
            <numerusform>%n resident(s)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ResidentHeader</name>
    <message>
        <source>{age} years</source>
        <translation>{age} years</translation>
    </message>
    <message>
        <source>hypertension</source>
        <translation>hypertension</translation>
    </message>
    <message>
        <source>diabetes</source>
        <translation>diabetes</translation>
    </message>
    <message>
        <source>follow-up for {conditions}</source>
        <translation>follow-up for {conditions}</translation>
    </message>
    <message>
        <source>Visit outside a round</source>
        <translation>Visit outside a round</translation>
    </message>
    <message>
        <source>Due: {reasons}</source>
        <translation>Due: {reasons}</translation>
    </message>
    <message>
        <source>Last visit {date}: {outcome}</source>
        <translation>Last visit {date}: {outcome}</translation>
    </message>
    <message>
        <source>{disease}: {value}</source>
        <translation>{disease}: {value}</translation>
    </message>
</context>
<context>
    <name>ResidentRecordDialog</name>
    <message>
        <source>&amp;Add resident</source>
        <translation>&amp;Add resident</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Read-only: the database file may not be written, so nothing here can be saved.</source>
        <translation>Read-only: the database file may not be written, so nothing here can be saved.</translation>
    </message>
    <message>
        <source>You can record assessments (Assessments tab) and visits. Identity, residence, signing, conditions, medications and flags are changed by doctors and assistants.</source>
        <translation>You can record assessments (Assessments tab) and visits. Identity, residence, signing, conditions, medications and flags are changed by doctors and assistants.</translation>
    </message>
    <message>
        <source>Read-only for your role: the record is changed by doctors and assistants.</source>
        <translation>Read-only for your role: the record is changed by doctors and assistants.</translation>
    </message>
    <message>
        <source>Assessments are recorded by doctors and nurses.</source>
        <translation>Assessments are recorded by doctors and nurses.</translation>
    </message>
    <message>
        <source>New resident</source>
        <translation>New resident</translation>
    </message>
    <message>
        <source>Fill in the identity and residence tabs, then press “Add resident”.</source>
        <translation>Fill in the identity and residence tabs, then press “Add resident”.</translation>
    </message>
    <message>
        <source>Health record — {name}</source>
        <translation>Health record — {name}</translation>
    </message>
    <message>
        <source>{age} years</source>
        <translation>{age} years</translation>
    </message>
    <message>
        <source>family bed</source>
        <translation>family bed</translation>
    </message>
    <message>
        <source>hospice</source>
        <translation>hospice</translation>
    </message>
    <message>
        <source>Last changed by {who}
{when}</source>
        <translation>Last changed by {who}
{when}</translation>
    </message>
    <message>
        <source>Last changed
{when}</source>
        <translation>Last changed
{when}</translation>
    </message>
    <message>
        <source>&amp;Identity</source>
        <translation>&amp;Identity</translation>
    </message>
    <message>
        <source>&amp;Residence</source>
        <translation>&amp;Residence</translation>
    </message>
    <message>
        <source>&amp;Signing</source>
        <translation>&amp;Signing</translation>
    </message>
    <message>
        <source>&amp;Conditions</source>
        <translation>&amp;Conditions</translation>
    </message>
    <message>
        <source>&amp;Medications &amp;&amp; allergies</source>
        <translation>&amp;Medications &amp;&amp; allergies</translation>
    </message>
    <message>
        <source>&amp;Flags</source>
        <translation>&amp;Flags</translation>
    </message>
    <message>
        <source>&amp;Assessments</source>
        <translation>&amp;Assessments</translation>
    </message>
    <message>
        <source>&amp;Visits</source>
        <translation>&amp;Visits</translation>
    </message>
</context>
<context>
    <name>ResidentRecordLists</name>
    <message>
        <source>Remove</source>
        <translation>Remove</translation>
    </message>
    <message>
        <source>Remove “{what}” from the record? Use this for entries made in error.</source>
        <translation>Remove “{what}” from the record? Use this for entries made in error.</translation>
    </message>
    <message>
        <source>New</source>
        <translation>New</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
</context>
<context>
    <name>ResidentTableModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>Bed</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Colour</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>ID number</translation>
    </message>
</context>
<context>
    <name>ResidentsPage</name>
    <message>
        <source>Residents</source>
        <translation>Residents</translation>
    </message>
    <message>
        <source>Name, pinyin initials, bed or last digits of the ID number</source>
        <translation>Name, pinyin initials, bed or last digits of the ID number</translation>
    </message>
    <message>
        <source>Search as you type (Ctrl+F)</source>
        <translation>Search as you type (Ctrl+F)</translation>
    </message>
    <message>
        <source>Sea&amp;rch:</source>
        <translation>Sea&amp;rch:</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>&amp;Institution:</translation>
    </message>
    <message>
        <source>&amp;Colour:</source>
        <translation>&amp;Colour:</translation>
    </message>
    <message>
        <source>&amp;New resident…</source>
        <translation>&amp;New resident…</translation>
    </message>
    <message>
        <source>I&amp;mport roster…</source>
        <translation>I&amp;mport roster…</translation>
    </message>
    <message>
        <source>All colours</source>
        <translation>All colours</translation>
    </message>
    <message>
        <source>1 resident</source>
        <translation>1 resident</translation>
    </message>
    <message>
        <source>{count} residents</source>
        <translation>{count} residents</translation>
    </message>
    <message>
        <source>residents</source>
        <translation>residents</translation>
    </message>
</context>
<context>
    <name>ReviewModel</name>
    <message>
        <source>Institution</source>
        <translation>Institution</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>Bed</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>Suggested</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>— not confirmed yet</source>
        <translation>— not confirmed yet</translation>
    </message>
</context>
<context>
    <name>RosterDonePage</name>
    <message>
        <source>Done</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Imported {n} resident(s) into {institution}.</source>
        <translation>Imported {n} resident(s) into {institution}.</translation>
    </message>
    <message>
        <source>{n} row(s) were left out: correct them in the file and import it again (rows already imported will be reported as already in the center).</source>
        <translation>{n} row(s) were left out: correct them in the file and import it again (rows already imported will be reported as already in the center).</translation>
    </message>
</context>
<context>
    <name>RosterFilePage</name>
    <message>
        <source>Roster file and institution</source>
        <translation>Roster file and institution</translation>
    </message>
    <message>
        <source>Nothing is written until you confirm on the next page.</source>
        <translation>Nothing is written until you confirm on the next page.</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>An Excel workbook (.xlsx, first sheet) or a CSV file in UTF-8 or GBK. The first row names the columns (a title row above it is fine), in Chinese or English, in any order: 姓名 / name and 身份证号 / ID number are required; 性别, 出生日期, 楼栋, 房间, 床位, 入住日期, 联系电话, 医保号, 监护人, 监护人电话 and their usual synonyms are read too. Other columns are ignored and named in the preview.</source>
        <translation>An Excel workbook (.xlsx, first sheet) or a CSV file in UTF-8 or GBK. The first row names the columns (a title row above it is fine), in Chinese or English, in any order: 姓名 / name and 身份证号 / ID number are required; 性别, 出生日期, 楼栋, 房间, 床位, 入住日期, 联系电话, 医保号, 监护人, 监护人电话 and their usual synonyms are read too. Other columns are ignored and named in the preview.</translation>
    </message>
    <message>
        <source>Roster &amp;file:</source>
        <translation>Roster &amp;file:</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>&amp;Institution:</translation>
    </message>
    <message>
        <source>Choose a roster</source>
        <translation>Choose a roster</translation>
    </message>
    <message>
        <source>Rosters (*.xlsx *.csv);;All files (*)</source>
        <translation>Rosters (*.xlsx *.csv);;All files (*)</translation>
    </message>
    <message>
        <source>Reading the roster…</source>
        <translation>Reading the roster…</translation>
    </message>
</context>
<context>
    <name>RosterImportWizard</name>
    <message>
        <source>Import a roster</source>
        <translation>Import a roster</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>&amp;Next &gt;</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>&amp;Finish</source>
        <translation>&amp;Finish</translation>
    </message>
</context>
<context>
    <name>RosterPreviewPage</name>
    <message>
        <source>Preview</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>Show only rows with &amp;problems</source>
        <translation>Show only rows with &amp;problems</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>Bed</translation>
    </message>
    <message>
        <source>Admission</source>
        <translation>Admission</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>✓ will be imported</source>
        <translation>✓ will be imported</translation>
    </message>
    <message>
        <source>{field}: {reason}</source>
        <translation>{field}: {reason}</translation>
    </message>
    <message>
        <source>; </source>
        <translation>; </translation>
    </message>
    <message>
        <source>{rows} data rows in the file for {institution}: {valid} can be imported, {rejected} have problems and will be left out.</source>
        <translation>{rows} data rows in the file for {institution}: {valid} can be imported, {rejected} have problems and will be left out.</translation>
    </message>
    <message>
        <source>Header in row {row}; file read as {format}.</source>
        <translation>Header in row {row}; file read as {format}.</translation>
    </message>
    <message>
        <source>Columns ignored: {columns}</source>
        <translation>Columns ignored: {columns}</translation>
    </message>
    <message>
        <source>&amp;Import {n} resident(s)</source>
        <translation>&amp;Import {n} resident(s)</translation>
    </message>
    <message>
        <source>Nothing has been written yet.</source>
        <translation>Nothing has been written yet.</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>Importing…</translation>
    </message>
</context>
<context>
    <name>RoundButton</name>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>{count} seen</source>
        <translation>{count} seen</translation>
    </message>
    <message>
        <source>{count} due · {symbol} {red}</source>
        <translation>{count} due · {symbol} {red}</translation>
    </message>
    <message>
        <source>moved from {day}</source>
        <translation>moved from {day}</translation>
    </message>
</context>
<context>
    <name>RoundChooser</name>
    <message>
        <source>Round:</source>
        <translation>Round:</translation>
    </message>
    <message>
        <source>Your team's round today</source>
        <translation>Your team's round today</translation>
    </message>
    <message>
        <source>No round of your team today: its next round, on {day}</source>
        <translation>No round of your team today: its next round, on {day}</translation>
    </message>
    <message>
        <source>No round of your team today or to come: its most recent round, on {day}</source>
        <translation>No round of your team today or to come: its most recent round, on {day}</translation>
    </message>
    <message>
        <source>Today's round</source>
        <translation>Today's round</translation>
    </message>
    <message>
        <source>No round today: the most recent round, on {day}</source>
        <translation>No round today: the most recent round, on {day}</translation>
    </message>
    <message>
        <source>Other teams' rounds can be chosen in the list</source>
        <translation>Other teams' rounds can be chosen in the list</translation>
    </message>
    <message>
        <source>today</source>
        <translation>today</translation>
    </message>
</context>
<context>
    <name>RoundsPage</name>
    <message>
        <source>Rounds</source>
        <translation>Rounds</translation>
    </message>
    <message>
        <source>◀ &amp;Previous week</source>
        <translation>◀ &amp;Previous week</translation>
    </message>
    <message>
        <source>&amp;This week</source>
        <translation>&amp;This week</translation>
    </message>
    <message>
        <source>&amp;Next week ▶</source>
        <translation>&amp;Next week ▶</translation>
    </message>
    <message>
        <source>&amp;Add round…</source>
        <translation>&amp;Add round…</translation>
    </message>
    <message>
        <source>&amp;Move…</source>
        <translation>&amp;Move…</translation>
    </message>
    <message>
        <source>&amp;Cancel round…</source>
        <translation>&amp;Cancel round…</translation>
    </message>
    <message>
        <source>R&amp;estore round</source>
        <translation>R&amp;estore round</translation>
    </message>
    <message>
        <source>Plan this cancelled round again</source>
        <translation>Plan this cancelled round again</translation>
    </message>
    <message>
        <source>P&amp;rint round sheet…</source>
        <translation>P&amp;rint round sheet…</translation>
    </message>
    <message>
        <source>Record &amp;visits</source>
        <translation>Record &amp;visits</translation>
    </message>
    <message>
        <source>Open this round on the visit page</source>
        <translation>Open this round on the visit page</translation>
    </message>
    <message>
        <source>week plan</source>
        <translation>week plan</translation>
    </message>
    <message>
        <source>Save the week's rounds and the residents due at each as an Excel workbook</source>
        <translation>Save the week's rounds and the residents due at each as an Excel workbook</translation>
    </message>
    <message>
        <source>Planning the week…</source>
        <translation>Planning the week…</translation>
    </message>
    <message>
        <source>{week} · {monday} – {sunday}</source>
        <translation>{week} · {monday} – {sunday}</translation>
    </message>
    <message>
        <source>Not meeting the agreement (at least one round a week):</source>
        <translation>Not meeting the agreement (at least one round a week):</translation>
    </message>
    <message numerus="yes">
        <source>{institution}: agreement ended {date} — %n round(s) booked this week without one ({count} residents); renew the agreement</source>
        <translation>
            <numerusform>{institution}: agreement ended {date} — %n round(s) booked this week without one ({count} residents); renew the agreement</numerusform>
            <numerusform>{institution}: agreement ended {date} — %n round(s) booked this week without one ({count} residents); renew the agreement</numerusform>
        </translation>
    </message>
    <message>
        <source>{institution}: agreement ended {date} — {count} residents not covered</source>
        <translation>{institution}: agreement ended {date} — {count} residents not covered</translation>
    </message>
    <message>
        <source>This round was cancelled: no residents are due at it. Restore round plans it again.</source>
        <translation>This round was cancelled: no residents are due at it. Restore round plans it again.</translation>
    </message>
    <message numerus="yes">
        <source>Generated %n round(s) from the agreements.</source>
        <translation>
            <numerusform>Generated %n round(s) from the agreements.</numerusform>
            <numerusform>Generated %n round(s) from the agreements.</numerusform>
        </translation>
    </message>
    <message>
        <source>No team</source>
        <translation>No team</translation>
    </message>
    <message>
        <source>No rounds this week.</source>
        <translation>No rounds this week.</translation>
    </message>
    <message>
        <source>Choose a round above.</source>
        <translation>Choose a round above.</translation>
    </message>
    <message>
        <source>cancelled: {reason}</source>
        <translation>cancelled: {reason}</translation>
    </message>
    <message>
        <source>held; {count} seen</source>
        <translation>held; {count} seen</translation>
    </message>
    <message>
        <source>{count} due: {counts}</source>
        <translation>{count} due: {counts}</translation>
    </message>
    <message>
        <source>This round was held on {day}: {count} resident(s) seen. Residents due are listed for rounds still to come; use Record visits to see who was seen and what was recorded.</source>
        <translation>This round was held on {day}: {count} resident(s) seen. Residents due are listed for rounds still to come; use Record visits to see who was seen and what was recorded.</translation>
    </message>
    <message>
        <source>Only a doctor or an administrator can change rounds</source>
        <translation>Only a doctor or an administrator can change rounds</translation>
    </message>
    <message>
        <source>Only doctors and nurses record visits</source>
        <translation>Only doctors and nurses record visits</translation>
    </message>
    <message>
        <source>Move the round at {institution}</source>
        <translation>Move the round at {institution}</translation>
    </message>
    <message>
        <source>Add a round</source>
        <translation>Add a round</translation>
    </message>
    <message>
        <source>Preparing the round sheet…</source>
        <translation>Preparing the round sheet…</translation>
    </message>
    <message>
        <source>Round sheet — {institution} {day}</source>
        <translation>Round sheet — {institution} {day}</translation>
    </message>
</context>
<context>
    <name>SaveResult</name>
    <message>
        <source>✓ Saved the correction of {name}: version {version}.</source>
        <translation>✓ Saved the correction of {name}: version {version}.</translation>
    </message>
    <message>
        <source>✓ Saved the visit of {name}.</source>
        <translation>✓ Saved the visit of {name}.</translation>
    </message>
    <message>
        <source>‼ Urgent values: act today.</source>
        <translation>‼ Urgent values: act today.</translation>
    </message>
    <message>
        <source>Status back to: {status} (“{undone}” from this visit undone).</source>
        <translation>Status back to: {status} (“{undone}” from this visit undone).</translation>
    </message>
    <message>
        <source>Status still: {status} (recorded from this visit).</source>
        <translation>Status still: {status} (recorded from this visit).</translation>
    </message>
    <message>
        <source>Status “{status}” now dated {date} (was {old}).</source>
        <translation>Status “{status}” now dated {date} (was {old}).</translation>
    </message>
    <message>
        <source>Status “{status}” still dated {old} (recorded from this visit).</source>
        <translation>Status “{status}” still dated {old} (recorded from this visit).</translation>
    </message>
    <message>
        <source>Status now: {status}.</source>
        <translation>Status now: {status}.</translation>
    </message>
    <message>
        <source>Triage suggestion {before} → {after}: the doctor's review lists it.</source>
        <translation>Triage suggestion {before} → {after}: the doctor's review lists it.</translation>
    </message>
    <message>
        <source>Triage suggestion {after} differs from the colour {colour}: in the doctor's review.</source>
        <translation>Triage suggestion {after} differs from the colour {colour}: in the doctor's review.</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <source>Open a database on a server</source>
        <translation>Open a database on a server</translation>
    </message>
    <message>
        <source>empty: from ~/.pgpass or the keyring</source>
        <translation>empty: from ~/.pgpass or the keyring</translation>
    </message>
    <message>
        <source>Keep the password in this computer's keyring</source>
        <translation>Keep the password in this computer's keyring</translation>
    </message>
    <message>
        <source>No keyring here: put the password in ~/.pgpass instead</source>
        <translation>No keyring here: put the password in ~/.pgpass instead</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>User</source>
        <translation>User</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>The password is never written into the settings. Ask the center's IT staff for a line in ~/.pgpass, or type it here for this session.</source>
        <translation>The password is never written into the settings. Ask the center's IT staff for a line in ~/.pgpass, or type it here for this session.</translation>
    </message>
    <message>
        <source>The field “{field}” is empty: fill it in.</source>
        <translation>The field “{field}” is empty: fill it in.</translation>
    </message>
</context>
<context>
    <name>ServerWatch</name>
    <message>
        <source>Server not reachable, retrying — changes from other workstations are not shown</source>
        <translation>Server not reachable, retrying — changes from other workstations are not shown</translation>
    </message>
    <message>
        <source>Server not reachable</source>
        <translation>Server not reachable</translation>
    </message>
    <message>
        <source>The database server {server} does not answer (it has stopped, or the network is down). Changes made on other workstations are not shown here until it answers again; CareRounds asks every {seconds} seconds, and this message goes away by itself then. If it stays, ask the center's IT staff whether PostgreSQL is running.</source>
        <translation>The database server {server} does not answer (it has stopped, or the network is down). Changes made on other workstations are not shown here until it answers again; CareRounds asks every {seconds} seconds, and this message goes away by itself then. If it stays, ask the center's IT staff whether PostgreSQL is running.</translation>
    </message>
</context>
<context>
    <name>ServerWindow</name>
    <message>
        <source>Server {place}</source>
        <translation>Server {place}</translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation>Connecting to the server…</translation>
    </message>
    <message>
        <source>A server database is backed up with: backup --db postgresql://…</source>
        <translation>A server database is backed up with: backup --db postgresql://…</translation>
    </message>
    <message>
        <source>The daily backup of the server failed — details…</source>
        <translation>The daily backup of the server failed — details…</translation>
    </message>
    <message>
        <source>The daily backup of the server failed</source>
        <translation>The daily backup of the server failed</translation>
    </message>
    <message>
        <source>The daily backup of the server failed: {reason}</source>
        <translation>The daily backup of the server failed: {reason}</translation>
    </message>
</context>
<context>
    <name>SetupPage</name>
    <message>
        <source>Set up CareRounds</source>
        <translation>Set up CareRounds</translation>
    </message>
    <message>
        <source>This database has no center yet. Enter your community health center and the administrator who will create the other accounts.</source>
        <translation>This database has no center yet. Enter your community health center and the administrator who will create the other accounts.</translation>
    </message>
    <message>
        <source>e.g. Kangning Street Community Health Center</source>
        <translation>e.g. Kangning Street Community Health Center</translation>
    </message>
    <message>
        <source>2–20 letters or digits</source>
        <translation>2–20 letters or digits</translation>
    </message>
    <message>
        <source>letters, digits, . _ -</source>
        <translation>letters, digits, . _ -</translation>
    </message>
    <message>
        <source>at least 8 characters</source>
        <translation>at least 8 characters</translation>
    </message>
    <message>
        <source>Center &amp;name:</source>
        <translation>Center &amp;name:</translation>
    </message>
    <message>
        <source>Center &amp;code:</source>
        <translation>Center &amp;code:</translation>
    </message>
    <message>
        <source>&amp;District:</source>
        <translation>&amp;District:</translation>
    </message>
    <message>
        <source>Administrator's na&amp;me:</source>
        <translation>Administrator's na&amp;me:</translation>
    </message>
    <message>
        <source>Administrator's &amp;login:</source>
        <translation>Administrator's &amp;login:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>&amp;Repeat password:</source>
        <translation>&amp;Repeat password:</translation>
    </message>
    <message>
        <source>First administrator</source>
        <translation>First administrator</translation>
    </message>
    <message>
        <source>Create the center</source>
        <translation>Create the center</translation>
    </message>
    <message>
        <source>Or join a center that already uses CareRounds</source>
        <translation>Or join a center that already uses CareRounds</translation>
    </message>
    <message>
        <source>For a laptop or a second computer: on the center's workstation, Sync → Add a device writes a join package protected by a passphrase. This computer then becomes a full copy of the center and everyone signs in with their usual login.</source>
        <translation>For a laptop or a second computer: on the center's workstation, Sync → Add a device writes a join package protected by a passphrase. This computer then becomes a full copy of the center and everyone signs in with their usual login.</translation>
    </message>
    <message>
        <source>&amp;Join a center from a join package…</source>
        <translation>&amp;Join a center from a join package…</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>The two passwords are not the same.</translation>
    </message>
    <message>
        <source>Joining a center…</source>
        <translation>Joining a center…</translation>
    </message>
    <message>
        <source>Creating the center…</source>
        <translation>Creating the center…</translation>
    </message>
</context>
<context>
    <name>SheetModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>Bed</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Colour</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>Recorded</translation>
    </message>
    <message>
        <source>Not due at this round: an unplanned visit</source>
        <translation>Not due at this round: an unplanned visit</translation>
    </message>
    <message>
        <source>unsaved</source>
        <translation>unsaved</translation>
    </message>
    <message>
        <source>v{version}</source>
        <translation>v{version}</translation>
    </message>
</context>
<context>
    <name>SheetPanel</name>
    <message>
        <source>✓ recorded, values normal · ▲ an abnormal value · ‼ urgent · ✎ not saved yet · ☆ unplanned</source>
        <translation>✓ recorded, values normal · ▲ an abnormal value · ‼ urgent · ✎ not saved yet · ☆ unplanned</translation>
    </message>
    <message>
        <source>{done} of {total} recorded</source>
        <translation>{done} of {total} recorded</translation>
    </message>
</context>
<context>
    <name>SignInPanel</name>
    <message>
        <source>CareRounds</source>
        <translation>CareRounds</translation>
    </message>
    <message>
        <source>Your login</source>
        <translation>Your login</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation>&amp;Login:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Every administrator password lost? Use the recovery key…</source>
        <translation>Every administrator password lost? Use the recovery key…</translation>
    </message>
    <message>
        <source>Locked after {minutes} min without use, to protect residents' data. Sign in again.</source>
        <translation>Locked after {minutes} min without use, to protect residents' data. Sign in again.</translation>
    </message>
    <message>
        <source>Enter your login.</source>
        <translation>Enter your login.</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>Enter your password.</translation>
    </message>
    <message>
        <source>The password of {login} was reset. Sign in with it.</source>
        <translation>The password of {login} was reset. Sign in with it.</translation>
    </message>
</context>
<context>
    <name>StaffDialog</name>
    <message>
        <source>Edit account</source>
        <translation>Edit account</translation>
    </message>
    <message>
        <source>Add an account</source>
        <translation>Add an account</translation>
    </message>
    <message>
        <source>letters, digits, . _ -</source>
        <translation>letters, digits, . _ -</translation>
    </message>
    <message>
        <source>(no team)</source>
        <translation>(no team)</translation>
    </message>
    <message>
        <source>other registered practice sites, if any</source>
        <translation>other registered practice sites, if any</translation>
    </message>
    <message>
        <source>at least 8 characters, not the login</source>
        <translation>at least 8 characters, not the login</translation>
    </message>
    <message>
        <source>&amp;Must choose their own password at the first sign-in</source>
        <translation>&amp;Must choose their own password at the first sign-in</translation>
    </message>
    <message>
        <source>You know this first password; they replace it with one only they know.</source>
        <translation>You know this first password; they replace it with one only they know.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation>&amp;Login:</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>&amp;Role:</translation>
    </message>
    <message>
        <source>&amp;Team:</source>
        <translation>&amp;Team:</translation>
    </message>
    <message>
        <source>P&amp;hone:</source>
        <translation>P&amp;hone:</translation>
    </message>
    <message>
        <source>Practice &amp;sites:</source>
        <translation>Practice &amp;sites:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>R&amp;epeat password:</source>
        <translation>R&amp;epeat password:</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>A login cannot be changed; the audit trail refers to it.</source>
        <translation>A login cannot be changed; the audit trail refers to it.</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>The two passwords are not the same.</translation>
    </message>
</context>
<context>
    <name>StaffTableModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Login</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Locked after five failed sign-ins on this computer</source>
        <translation>Locked after five failed sign-ins on this computer</translation>
    </message>
    <message>
        <source>An administrator set the password; they choose their own at the next sign-in</source>
        <translation>An administrator set the password; they choose their own at the next sign-in</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>Locked until {time}</source>
        <translation>Locked until {time}</translation>
    </message>
    <message>
        <source>Active, must change password</source>
        <translation>Active, must change password</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Active</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>%n visit(s)</source>
        <translation>%n visit(s)</translation>
    </message>
    <message>
        <source>%n resident(s)</source>
        <translation>%n resident(s)</translation>
    </message>
    <message>
        <source>%n condition(s)</source>
        <translation>%n condition(s)</translation>
    </message>
    <message>
        <source>%n medication(s)</source>
        <translation>%n medication(s)</translation>
    </message>
    <message>
        <source>%n assessment(s)</source>
        <translation>%n assessment(s)</translation>
    </message>
    <message>
        <source>%n triage decision(s)</source>
        <translation>%n triage decision(s)</translation>
    </message>
    <message>
        <source>%n round(s)</source>
        <translation>%n round(s)</translation>
    </message>
    <message>
        <source>%n referral(s)</source>
        <translation>%n referral(s)</translation>
    </message>
    <message>
        <source>%n other record(s)</source>
        <translation>%n other record(s)</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Read the sync state again (F5)</source>
        <translation>Read the sync state again (F5)</translation>
    </message>
    <message>
        <source>&amp;Export to folder or USB stick…</source>
        <translation>&amp;Export to folder or USB stick…</translation>
    </message>
    <message>
        <source>Write a sync file with the changes the other devices do not have</source>
        <translation>Write a sync file with the changes the other devices do not have</translation>
    </message>
    <message>
        <source>E&amp;verything (full export)</source>
        <translation>E&amp;verything (full export)</translation>
    </message>
    <message>
        <source>Carry every record, not only the changes; for a device that lost files</source>
        <translation>Carry every record, not only the changes; for a device that lost files</translation>
    </message>
    <message>
        <source>&amp;Import a sync file…</source>
        <translation>&amp;Import a sync file…</translation>
    </message>
    <message>
        <source>&amp;Add a device…</source>
        <translation>&amp;Add a device…</translation>
    </message>
    <message>
        <source>Write a join package for a new laptop, protected by a passphrase</source>
        <translation>Write a join package for a new laptop, protected by a passphrase</translation>
    </message>
    <message>
        <source>Review &amp;conflicts</source>
        <translation>Review &amp;conflicts</translation>
    </message>
    <message>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Not yet exported</source>
        <translation>Not yet exported</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>When</source>
        <translation>When</translation>
    </message>
    <message>
        <source>What</source>
        <translation>What</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Records</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Changed</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>Sync state</source>
        <translation>Sync state</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Last file imported from it</source>
        <translation>Last file imported from it</translation>
    </message>
    <message>
        <source>Device id</source>
        <translation>Device id</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>Resident</translation>
    </message>
    <message>
        <source>This device: {name} (id {id}) · {center}</source>
        <translation>This device: {name} (id {id}) · {center}</translation>
    </message>
    <message>
        <source>unnamed</source>
        <translation>unnamed</translation>
    </message>
    <message>
        <source>Not yet exported: {parts}</source>
        <translation>Not yet exported: {parts}</translation>
    </message>
    <message>
        <source>Every change on this device has been exported.</source>
        <translation>Every change on this device has been exported.</translation>
    </message>
    <message>
        <source>Last export: {export}    Last import: {imported}    Open conflicts: {conflicts}</source>
        <translation>Last export: {export}    Last import: {imported}    Open conflicts: {conflicts}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>never</translation>
    </message>
    <message>
        <source>syncs with this device</source>
        <translation>syncs with this device</translation>
    </message>
    <message>
        <source>invited, not joined yet</source>
        <translation>invited, not joined yet</translation>
    </message>
    <message>
        <source>known through other devices</source>
        <translation>known through other devices</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Import</translation>
    </message>
    <message>
        <source>Join package</source>
        <translation>Join package</translation>
    </message>
    <message>
        <source>Joined the center</source>
        <translation>Joined the center</translation>
    </message>
    <message>
        <source>new {new} · updated {updated} · conflicts {conflicts} · duplicates {duplicates}</source>
        <translation>new {new} · updated {updated} · conflicts {conflicts} · duplicates {duplicates}</translation>
    </message>
    <message>
        <source>{n} records</source>
        <translation>{n} records</translation>
    </message>
    <message>
        <source>full</source>
        <translation>full</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Export to folder or USB stick</source>
        <translation>Export to folder or USB stick</translation>
    </message>
    <message>
        <source>Import a sync file</source>
        <translation>Import a sync file</translation>
    </message>
    <message>
        <source>Save the join package</source>
        <translation>Save the join package</translation>
    </message>
    <message>
        <source>Writing and checking the sync file…</source>
        <translation>Writing and checking the sync file…</translation>
    </message>
    <message>
        <source>Written and checked: {file} ({n} records). It is safe to unplug the USB stick.</source>
        <translation>Written and checked: {file} ({n} records). It is safe to unplug the USB stick.</translation>
    </message>
    <message>
        <source>Checking and importing the sync file…</source>
        <translation>Checking and importing the sync file…</translation>
    </message>
    <message>
        <source>This file was imported before; nothing changed.</source>
        <translation>This file was imported before; nothing changed.</translation>
    </message>
    <message>
        <source>Imported the file from {device}: {new} new, {updated} updated, {conflicts} conflicts, {duplicates} possible duplicate residents.</source>
        <translation>Imported the file from {device}: {new} new, {updated} updated, {conflicts} conflicts, {duplicates} possible duplicate residents.</translation>
    </message>
    <message>
        <source>{n} records refer to records this device has not received yet; they come again with the sender's next file.</source>
        <translation>{n} records refer to records this device has not received yet; they come again with the sender's next file.</translation>
    </message>
    <message>
        <source>Not imported: {reason}</source>
        <translation>Not imported: {reason}</translation>
    </message>
    <message>
        <source>Writing the join package…</source>
        <translation>Writing the join package…</translation>
    </message>
    <message>
        <source>Join package written and checked: {file}, valid until {until}. Tell the passphrase to the person setting up the new device separately; never write it on the USB stick.</source>
        <translation>Join package written and checked: {file}, valid until {until}. Tell the passphrase to the person setting up the new device separately; never write it on the USB stick.</translation>
    </message>
    <message>
        <source>The new device's database is encrypted. Its recovery key (shown only this once: write it down and keep it apart from the device): {key}</source>
        <translation>The new device's database is encrypted. Its recovery key (shown only this once: write it down and keep it apart from the device): {key}</translation>
    </message>
</context>
<context>
    <name>TriageHistoryPanel</name>
    <message>
        <source>Colour history</source>
        <translation>Colour history</translation>
    </message>
    <message>
        <source>No resident chosen</source>
        <translation>No resident chosen</translation>
    </message>
    <message>
        <source>Choose a resident in the list to see the reasons and the history.</source>
        <translation>Choose a resident in the list to see the reasons and the history.</translation>
    </message>
    <message>
        <source>Confirmed colour:</source>
        <translation>Confirmed colour:</translation>
    </message>
    <message>
        <source>Not in residence: not triaged.</source>
        <translation>Not in residence: not triaged.</translation>
    </message>
    <message>
        <source>Suggested by the rules:</source>
        <translation>Suggested by the rules:</translation>
    </message>
</context>
<context>
    <name>TriagePage</name>
    <message>
        <source>Triage review</source>
        <translation>Triage review</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>&amp;Institution:</translation>
    </message>
    <message>
        <source>Re&amp;compute</source>
        <translation>Re&amp;compute</translation>
    </message>
    <message>
        <source>Apply the rules to every resident again (F5)</source>
        <translation>Apply the rules to every resident again (F5)</translation>
    </message>
    <message>
        <source>C&amp;onfirm suggestion</source>
        <translation>C&amp;onfirm suggestion</translation>
    </message>
    <message>
        <source>Set &amp;another colour…</source>
        <translation>Set &amp;another colour…</translation>
    </message>
    <message>
        <source>&amp;Print triage list…</source>
        <translation>&amp;Print triage list…</translation>
    </message>
    <message>
        <source>The list for the home's staff: choose an institution first</source>
        <translation>The list for the home's staff: choose an institution first</translation>
    </message>
    <message>
        <source>Ctrl+A selects all; Ctrl+click or Shift+click selects several</source>
        <translation>Ctrl+A selects all; Ctrl+click or Shift+click selects several</translation>
    </message>
    <message>
        <source>triage list</source>
        <translation>triage list</translation>
    </message>
    <message>
        <source>Applying the triage rules…</source>
        <translation>Applying the triage rules…</translation>
    </message>
    <message>
        <source>You can see the suggestions and their reasons; only a doctor or an administrator can confirm or change a colour.</source>
        <translation>You can see the suggestions and their reasons; only a doctor or an administrator can confirm or change a colour.</translation>
    </message>
    <message>
        <source>{count} to review</source>
        <translation>{count} to review</translation>
    </message>
    <message>
        <source>C&amp;onfirm {count} suggestions</source>
        <translation>C&amp;onfirm {count} suggestions</translation>
    </message>
    <message>
        <source>Set &amp;another colour for {count}…</source>
        <translation>Set &amp;another colour for {count}…</translation>
    </message>
    <message>
        <source>Only a doctor or an administrator can confirm colours</source>
        <translation>Only a doctor or an administrator can confirm colours</translation>
    </message>
    <message>
        <source>Colours updated for {count} resident(s).</source>
        <translation>Colours updated for {count} resident(s).</translation>
    </message>
    <message>
        <source>Not changed: {lines}</source>
        <translation>Not changed: {lines}</translation>
    </message>
    <message>
        <source>Preparing the triage list…</source>
        <translation>Preparing the triage list…</translation>
    </message>
    <message>
        <source>Triage list — {name}</source>
        <translation>Triage list — {name}</translation>
    </message>
</context>
<context>
    <name>TriageRulesEditor</name>
    <message>
        <source>Triage rules</source>
        <translation>Triage rules</translation>
    </message>
    <message>
        <source>The rules suggest a colour; a doctor confirms it. Changes apply to the next suggestions and plans.</source>
        <translation>The rules suggest a colour; a doctor confirms it. Changes apply to the next suggestions and plans.</translation>
    </message>
    <message>
        <source>The default values are this product's defaults, not an official standard: the national specification (国家基本公共卫生服务规范) sets the clinical criteria, such as the BP target and the urgent readings, but not these colours or intervals. Adapt them to your center.</source>
        <translation>The default values are this product's defaults, not an official standard: the national specification (国家基本公共卫生服务规范) sets the clinical criteria, such as the BP target and the urgent readings, but not these colours or intervals. Adapt them to your center.</translation>
    </message>
    <message>
        <source>Read-only: your role may look at the rules but not change them. A doctor or an administrator can change them.</source>
        <translation>Read-only: your role may look at the rules but not change them. A doctor or an administrator can change them.</translation>
    </message>
    <message>
        <source>● Red — key</source>
        <translation>● Red — key</translation>
    </message>
    <message>
        <source>▲ Yellow — secondary</source>
        <translation>▲ Yellow — secondary</translation>
    </message>
    <message>
        <source>Visit intervals</source>
        <translation>Visit intervals</translation>
    </message>
    <message>
        <source>&amp;Save rules</source>
        <translation>&amp;Save rules</translation>
    </message>
    <message>
        <source>Restore &amp;defaults</source>
        <translation>Restore &amp;defaults</translation>
    </message>
    <message>
        <source>Default: {value}</source>
        <translation>Default: {value}</translation>
    </message>
    <message>
        <source>applies</source>
        <translation>applies</translation>
    </message>
    <message>
        <source>{minimum} to {maximum}. {default}</source>
        <translation>{minimum} to {maximum}. {default}</translation>
    </message>
    <message>
        <source>Rules saved for this center.</source>
        <translation>Rules saved for this center.</translation>
    </message>
    <message>
        <source>Built-in default rules.</source>
        <translation>Built-in default rules.</translation>
    </message>
    <message>
        <source>Saved. New suggestions and plans use these rules.</source>
        <translation>Saved. New suggestions and plans use these rules.</translation>
    </message>
</context>
<context>
    <name>UrgentBanner</name>
    <message>
        <source>Add a referral</source>
        <translation>Add a referral</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>Accounts</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <source>&amp;Add account…</source>
        <translation>&amp;Add account…</translation>
    </message>
    <message>
        <source>Add an account (Insert)</source>
        <translation>Add an account (Insert)</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Edit…</translation>
    </message>
    <message>
        <source>Reset &amp;password…</source>
        <translation>Reset &amp;password…</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>&amp;Disable</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Unlock</translation>
    </message>
    <message>
        <source>Lift the five-minute lock after failed sign-ins</source>
        <translation>Lift the five-minute lock after failed sign-ins</translation>
    </message>
    <message>
        <source>New &amp;team…</source>
        <translation>New &amp;team…</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>never</source>
        <translation>never</translation>
    </message>
    <message>
        <source>Appl&amp;y</source>
        <translation>Appl&amp;y</translation>
    </message>
    <message>
        <source>&amp;Lock the screen after this long without use:</source>
        <translation>&amp;Lock the screen after this long without use:</translation>
    </message>
    <message>
        <source>Applies to every computer of the center after the next sync. A locked screen hides all data until someone signs in again.</source>
        <translation>Applies to every computer of the center after the next sync. A locked screen hides all data until someone signs in again.</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Security</translation>
    </message>
    <message>
        <source>Only an administrator can see and manage accounts.</source>
        <translation>Only an administrator can see and manage accounts.</translation>
    </message>
    <message>
        <source>{count} accounts</source>
        <translation>{count} accounts</translation>
    </message>
    <message>
        <source>En&amp;able</source>
        <translation>En&amp;able</translation>
    </message>
    <message>
        <source>Disable account</source>
        <translation>Disable account</translation>
    </message>
    <message>
        <source>Disable the account of {name} ({login})? They can no longer sign in; everything they recorded stays.</source>
        <translation>Disable the account of {name} ({login})? They can no longer sign in; everything they recorded stays.</translation>
    </message>
    <message>
        <source>New team</source>
        <translation>New team</translation>
    </message>
    <message>
        <source>Name of the family-doctor team:</source>
        <translation>Name of the family-doctor team:</translation>
    </message>
</context>
<context>
    <name>VisitDayRow</name>
    <message>
        <source>Why it is entered only now</source>
        <translation>Why it is entered only now</translation>
    </message>
    <message>
        <source>&amp;Late entry, reason:</source>
        <translation>&amp;Late entry, reason:</translation>
    </message>
    <message>
        <source>&amp;Outcome:</source>
        <translation>&amp;Outcome:</translation>
    </message>
    <message>
        <source>&amp;Visit date:</source>
        <translation>&amp;Visit date:</translation>
    </message>
    <message>
        <source>later than today</source>
        <translation>later than today</translation>
    </message>
    <message>
        <source>Typed from the paper round sheet</source>
        <translation>Typed from the paper round sheet</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <source>Visit</source>
        <translation>Visit</translation>
    </message>
    <message>
        <source>Save (Ctrl+Enter)</source>
        <translation>Save (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>VisitEditor</name>
    <message>
        <source>Save and &amp;next (Ctrl+Enter)</source>
        <translation>Save and &amp;next (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Round of {date} at {institution}</source>
        <translation>Round of {date} at {institution}</translation>
    </message>
    <message>
        <source>{name} lives at {institution}, not at this round's institution: the visit is recorded outside a round.</source>
        <translation>{name} lives at {institution}, not at this round's institution: the visit is recorded outside a round.</translation>
    </message>
    <message>
        <source>An unsaved entry was found, but this visit was saved meanwhile: the entry is opened as a correction of the saved visit. Save it, or go to another resident to keep it as a draft.</source>
        <translation>An unsaved entry was found, but this visit was saved meanwhile: the entry is opened as a correction of the saved visit. Save it, or go to another resident to keep it as a draft.</translation>
    </message>
    <message>
        <source>Restored an unsaved entry (last typed {when}). Check it and save it.</source>
        <translation>Restored an unsaved entry (last typed {when}). Check it and save it.</translation>
    </message>
    <message>
        <source>Correcting version {version}: saving makes version {next}; version {version} stays in the history.</source>
        <translation>Correcting version {version}: saving makes version {next}; version {version} stays in the history.</translation>
    </message>
    <message>
        <source>Save the correction (Ctrl+Enter)</source>
        <translation>Save the correction (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Saving the visit…</source>
        <translation>Saving the visit…</translation>
    </message>
    <message>
        <source>Unexpected error: {error}</source>
        <translation>Unexpected error: {error}</translation>
    </message>
</context>
<context>
    <name>VisitForm</name>
    <message>
        <source>What to check next time</source>
        <translation>What to check next time</translation>
    </message>
    <message>
        <source>Ne&amp;xt visit:</source>
        <translation>Ne&amp;xt visit:</translation>
    </message>
</context>
<context>
    <name>VisitHistoryModel</name>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>BP</source>
        <translation>BP</translation>
    </message>
    <message>
        <source>Pulse</source>
        <translation>Pulse</translation>
    </message>
    <message>
        <source>Temp.</source>
        <translation>Temp.</translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation>SpO₂</translation>
    </message>
    <message>
        <source>Glucose</source>
        <translation>Glucose</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Weight</translation>
    </message>
    <message>
        <source>Chronic</source>
        <translation>Chronic</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>Recorded by</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>F</source>
        <translation>F</translation>
    </message>
    <message>
        <source>R</source>
        <translation>R</translation>
    </message>
    <message>
        <source>{disease}: {value}</source>
        <translation>{disease}: {value}</translation>
    </message>
    <message>
        <source>command line</source>
        <translation>command line</translation>
    </message>
    <message>
        <source>○ not yet exported: only on this computer until the next sync export</source>
        <translation>○ not yet exported: only on this computer until the next sync export</translation>
    </message>
    <message>
        <source>○ not yet exported</source>
        <translation>○ not yet exported</translation>
    </message>
    <message>
        <source>↗ exported: in a sync package, not yet confirmed by every device</source>
        <translation>↗ exported: in a sync package, not yet confirmed by every device</translation>
    </message>
    <message>
        <source>↗ exported</source>
        <translation>↗ exported</translation>
    </message>
    <message>
        <source>✓ acknowledged: every known device has it</source>
        <translation>✓ acknowledged: every known device has it</translation>
    </message>
    <message>
        <source>✓ acknowledged</source>
        <translation>✓ acknowledged</translation>
    </message>
    <message>
        <source>v{version}, replaced by v{newer}</source>
        <translation>v{version}, replaced by v{newer}</translation>
    </message>
    <message>
        <source>v{version}, corrects v{previous}</source>
        <translation>v{version}, corrects v{previous}</translation>
    </message>
    <message>
        <source>v1</source>
        <translation>v1</translation>
    </message>
    <message>
        <source>late entry: {reason}</source>
        <translation>late entry: {reason}</translation>
    </message>
    <message>
        <source>late entry</source>
        <translation>late entry</translation>
    </message>
    <message>
        <source>referral → {destination}</source>
        <translation>referral → {destination}</translation>
    </message>
</context>
<context>
    <name>VisitHistoryWidget</name>
    <message>
        <source>Show &amp;earlier versions of corrected visits</source>
        <translation>Show &amp;earlier versions of corrected visits</translation>
    </message>
    <message>
        <source>&amp;Correct this visit…</source>
        <translation>&amp;Correct this visit…</translation>
    </message>
    <message>
        <source>The visits could not be loaded: {error}</source>
        <translation>The visits could not be loaded: {error}</translation>
    </message>
    <message numerus="yes">
        <source>%n visit(s), newest first</source>
        <translation>
            <numerusform>%n visit(s), newest first</numerusform>
            <numerusform>%n visit(s), newest first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n corrected</source>
        <translation>
            <numerusform>%n corrected</numerusform>
            <numerusform>%n corrected</numerusform>
        </translation>
    </message>
    <message>
        <source>No visits recorded yet.</source>
        <translation>No visits recorded yet.</translation>
    </message>
    <message>
        <source>{date} — {outcome}</source>
        <translation>{date} — {outcome}</translation>
    </message>
    <message>
        <source>the command line</source>
        <translation>the command line</translation>
    </message>
    <message>
        <source>Version {version}, recorded by {who} on {when}</source>
        <translation>Version {version}, recorded by {who} on {when}</translation>
    </message>
    <message>
        <source>Corrected: this version replaces {count} earlier version(s).</source>
        <translation>Corrected: this version replaces {count} earlier version(s).</translation>
    </message>
    <message>
        <source>Replaced by version {newer}; kept for the record.</source>
        <translation>Replaced by version {newer}; kept for the record.</translation>
    </message>
    <message>
        <source>Changed from version {previous}: {fields}</source>
        <translation>Changed from version {previous}: {fields}</translation>
    </message>
    <message>
        <source>Two corrections of the same version were made on different devices; both are kept.</source>
        <translation>Two corrections of the same version were made on different devices; both are kept.</translation>
    </message>
    <message>
        <source>Late entry: {reason}</source>
        <translation>Late entry: {reason}</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <source>Lifestyle advice</source>
        <translation>Lifestyle advice</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Findings</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Actions</translation>
    </message>
    <message>
        <source>Medication changes</source>
        <translation>Medication changes</translation>
    </message>
    <message>
        <source>Next visit</source>
        <translation>Next visit</translation>
    </message>
    <message>
        <source>urgent</source>
        <translation>urgent</translation>
    </message>
    <message>
        <source>green channel</source>
        <translation>green channel</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>Referral</translation>
    </message>
    <message>
        <source>{disease}: {value}</source>
        <translation>{disease}: {value}</translation>
    </message>
    <message>
        <source>Adherence: {value}</source>
        <translation>Adherence: {value}</translation>
    </message>
    <message>
        <source>Foot pulses: {value}</source>
        <translation>Foot pulses: {value}</translation>
    </message>
    <message>
        <source>Height {value} cm</source>
        <translation>Height {value} cm</translation>
    </message>
</context>
<context>
    <name>VisitPage</name>
    <message>
        <source>Visits</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>Find a resident… (Ctrl+F)</source>
        <translation>Find a resident… (Ctrl+F)</translation>
    </message>
    <message>
        <source>No rounds today or in the last two weeks. Use Find a resident (Ctrl+F) for a visit outside a round.</source>
        <translation>No rounds today or in the last two weeks. Use Find a resident (Ctrl+F) for a visit outside a round.</translation>
    </message>
    <message numerus="yes">
        <source>✎ %n unsaved entry(ies)…</source>
        <translation>
            <numerusform>✎ %n unsaved entry(ies)…</numerusform>
            <numerusform>✎ %n unsaved entry(ies)…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VitalsChart</name>
    <message>
        <source>Blood pressure and glucose over time</source>
        <translation>Blood pressure and glucose over time</translation>
    </message>
    <message>
        <source>No blood pressure or glucose recorded yet.</source>
        <translation>No blood pressure or glucose recorded yet.</translation>
    </message>
    <message numerus="yes">
        <source>%n visit(s) from {first} to {last}</source>
        <translation>
            <numerusform>%n visit(s) from {first} to {last}</numerusform>
            <numerusform>%n visit(s) from {first} to {last}</numerusform>
        </translation>
    </message>
    <message>
        <source>last BP {sbp}/{dbp} mmHg</source>
        <translation>last BP {sbp}/{dbp} mmHg</translation>
    </message>
    <message>
        <source>last glucose {value} mmol/L</source>
        <translation>last glucose {value} mmol/L</translation>
    </message>
    <message>
        <source>SBP (mmHg)</source>
        <translation>SBP (mmHg)</translation>
    </message>
    <message>
        <source>DBP (mmHg)</source>
        <translation>DBP (mmHg)</translation>
    </message>
    <message>
        <source>Glucose (mmol/L): ● fasting, ○ random</source>
        <translation>Glucose (mmol/L): ● fasting, ○ random</translation>
    </message>
    <message>
        <source>BP {sbp}/{dbp} mmHg</source>
        <translation>BP {sbp}/{dbp} mmHg</translation>
    </message>
    <message>
        <source>fasting</source>
        <translation>fasting</translation>
    </message>
    <message>
        <source>random</source>
        <translation>random</translation>
    </message>
    <message>
        <source>Glucose {value} mmol/L ({kind})</source>
        <translation>Glucose {value} mmol/L ({kind})</translation>
    </message>
</context>
<context>
    <name>VitalsSection</name>
    <message>
        <source>/min</source>
        <translation>/min</translation>
    </message>
    <message>
        <source>Fasting</source>
        <translation>Fasting</translation>
    </message>
    <message>
        <source>Measured fasting (空腹); otherwise a random glucose</source>
        <translation>Measured fasting (空腹); otherwise a random glucose</translation>
    </message>
    <message>
        <source>S&amp;BP</source>
        <translation>S&amp;BP</translation>
    </message>
    <message>
        <source>&amp;DBP</source>
        <translation>&amp;DBP</translation>
    </message>
    <message>
        <source>&amp;Pulse</source>
        <translation>&amp;Pulse</translation>
    </message>
    <message>
        <source>&amp;Temp.</source>
        <translation>&amp;Temp.</translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation>SpO₂</translation>
    </message>
    <message>
        <source>&amp;Glucose</source>
        <translation>&amp;Glucose</translation>
    </message>
    <message>
        <source>&amp;Weight</source>
        <translation>&amp;Weight</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Residents</source>
        <translation>Residents</translation>
    </message>
    <message>
        <source>Institutions</source>
        <translation>Institutions</translation>
    </message>
    <message>
        <source>Rounds</source>
        <translation>Rounds</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>Triage review</source>
        <translation>Triage review</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>Family beds</source>
        <translation>Family beds</translation>
    </message>
    <message>
        <source>Proxy refills</source>
        <translation>Proxy refills</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Users</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>Audit trail</translation>
    </message>
</context>
</TS>
