<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AddDeviceDialog</name>
    <message>
        <source>Add a device</source>
        <translation>添加设备</translation>
    </message>
    <message>
        <source>for example: nurse station laptop</source>
        <translation>例如：护士站笔记本</translation>
    </message>
    <message>
        <source>The join package holds a full copy of the center's records. Choose a passphrase of at least 10 characters that is not easy to guess, and tell it to the person setting up the laptop in person or by phone.</source>
        <translation>加入文件包含本中心的全部记录。请设置至少 10 个字符、不易猜到的口令，并当面或电话告诉设置笔记本的人。</translation>
    </message>
    <message>
        <source>New device:</source>
        <translation>新设备：</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>口令(&amp;P)：</translation>
    </message>
    <message>
        <source>Passphrase a&amp;gain:</source>
        <translation>再次输入口令(&amp;G)：</translation>
    </message>
    <message>
        <source>Write join package…</source>
        <translation>生成加入文件…</translation>
    </message>
</context>
<context>
    <name>AgreementsPanel</name>
    <message>
        <source>Agreements</source>
        <translation>签约协议</translation>
    </message>
    <message>
        <source>From</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>open-ended</source>
        <translation>长期</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Round days</source>
        <translation>巡诊日</translation>
    </message>
    <message>
        <source>Per week</source>
        <translation>每周次数</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>empty = open-ended</source>
        <translation>留空表示长期</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Add a&amp;greement</source>
        <translation>添加协议(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;until</source>
        <translation>至(&amp;U)</translation>
    </message>
    <message>
        <source>Fr&amp;om:</source>
        <translation>起止日期(&amp;O)：</translation>
    </message>
    <message>
        <source>Round &amp;weekdays:</source>
        <translation>巡诊日(&amp;W)：</translation>
    </message>
    <message>
        <source>&amp;Team:</source>
        <translation>团队(&amp;T)：</translation>
    </message>
    <message>
        <source>At &amp;least, rounds a week:</source>
        <translation>每周至少巡诊(&amp;L)：</translation>
    </message>
    <message>
        <source>Ser&amp;vices:</source>
        <translation>服务内容(&amp;V)：</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Save a&amp;greement</source>
        <translation>保存协议(&amp;G)</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>全部人员</translation>
    </message>
    <message>
        <source>&amp;Person:</source>
        <translation>操作人(&amp;P)：</translation>
    </message>
    <message>
        <source>Name, pinyin initials or ID number</source>
        <translation>姓名、拼音首字母或身份证号</translation>
    </message>
    <message>
        <source>&amp;Resident:</source>
        <translation>居民(&amp;R)：</translation>
    </message>
    <message>
        <source>Fro&amp;m</source>
        <translation>日期从(&amp;M)</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>&amp;Verify…</source>
        <translation>校验(&amp;V)…</translation>
    </message>
    <message>
        <source>Check that no entry was changed, removed or reordered</source>
        <translation>检查是否有记录被修改、删除或调换顺序</translation>
    </message>
    <message>
        <source>Select an entry to see every field it changed.</source>
        <translation>选中一条记录，查看其修改的全部字段。</translation>
    </message>
    <message>
        <source>audit</source>
        <translation>操作记录</translation>
    </message>
    <message>
        <source> (disabled)</source>
        <translation>（已停用）</translation>
    </message>
    <message>
        <source>The newest {shown} of {total} entries</source>
        <translation>共 {total} 条，显示最新 {shown} 条</translation>
    </message>
    <message>
        <source>{count} entries</source>
        <translation>共 {count} 条</translation>
    </message>
    <message>
        <source>Record id: {id}</source>
        <translation>记录编号：{id}</translation>
    </message>
    <message>
        <source>Resident: {name}</source>
        <translation>居民：{name}</translation>
    </message>
    <message>
        <source>Checking the audit trail…</source>
        <translation>正在校验审计日志…</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>修改内容</translation>
    </message>
</context>
<context>
    <name>BackupDialog</name>
    <message>
        <source>Backup and restore</source>
        <translation>备份与恢复</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Kept in {folder}</source>
        <translation>备份保存在 {folder}</translation>
    </message>
    <message>
        <source>A backup is made at the first start of each day. The last 7 daily backups and one per week for 4 weeks are kept; backups made before a restore, a sync import or an upgrade are kept for at least 30 days.</source>
        <translation>每天首次启动时自动备份。保留最近 7 份每日备份，以及最近 4 周每周一份；恢复、同步导入或升级前所做的备份至少保留 30 天。</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>立即备份(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Restore…</source>
        <translation>恢复(&amp;R)…</translation>
    </message>
    <message>
        <source>Put the database back to the selected backup</source>
        <translation>将数据库恢复到所选备份</translation>
    </message>
    <message>
        <source>From another &amp;file…</source>
        <translation>从其他文件(&amp;F)…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Only an administrator can back up and restore.</source>
        <translation>只有管理员可以备份和恢复。</translation>
    </message>
    <message>
        <source>There is no backup in this folder yet.</source>
        <translation>此文件夹中还没有备份。</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backed up to {file} ({size}).</source>
        <translation>已备份到 {file}（{size}）。</translation>
    </message>
    <message>
        <source>Restore from a backup file</source>
        <translation>从备份文件恢复</translation>
    </message>
    <message>
        <source>CareRounds backups (*.sqlite *.db);;All files (*)</source>
        <translation>医养巡诊备份 (*.sqlite *.db);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Restore the database</source>
        <translation>恢复数据库</translation>
    </message>
    <message>
        <source>Put the database back to the backup of {when}?</source>
        <translation>将数据库恢复到 {when} 的备份吗？</translation>
    </message>
    <message>
        <source>Everything entered on this computer since then is replaced by the backup. The current state is backed up first, so the restore can be undone. Changes already sent to other computers come back with the next sync.</source>
        <translation>此后在本机录入的所有内容都将被备份替换。恢复前会先备份当前状态，因此可以撤销恢复。已同步到其他电脑的修改会在下次同步时回来。</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <source>Restoring the database…</source>
        <translation>正在恢复数据库…</translation>
    </message>
    <message>
        <source>Restored from {file}. The state before the restore is saved as {safety}.</source>
        <translation>已从 {file} 恢复。恢复前的状态已保存为 {safety}。</translation>
    </message>
</context>
<context>
    <name>BackupTableModel</name>
    <message>
        <source>Made on</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>每周备份</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>每日备份</translation>
    </message>
    <message>
        <source>Made by hand</source>
        <translation>手动备份</translation>
    </message>
    <message>
        <source>Before a restore</source>
        <translation>恢复前备份</translation>
    </message>
    <message>
        <source>Before a sync import</source>
        <translation>同步导入前备份</translation>
    </message>
    <message>
        <source>Before an upgrade</source>
        <translation>升级前备份</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>BedsModel</name>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>床位</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Indication</source>
        <translation>建床指征</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>建床日期</translation>
    </message>
    <message>
        <source>Bed-days</source>
        <translation>家床日</translation>
    </message>
    <message>
        <source>Last check</source>
        <translation>末次查床</translation>
    </message>
    <message>
        <source>Weeks missed</source>
        <translation>漏查周数</translation>
    </message>
    <message>
        <source>Orders due today</source>
        <translation>今日应执行医嘱</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>尚未查床</translation>
    </message>
    <message>
        <source>closed {day}</source>
        <translation>已于 {day} 撤床</translation>
    </message>
    <message>
        <source>A bed is checked at least once in every 7 days from its opening.</source>
        <translation>家庭病床自建床日起每 7 天至少查床一次。</translation>
    </message>
</context>
<context>
    <name>BedsPage</name>
    <message>
        <source>Family beds</source>
        <translation>家庭病床</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>机构(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Show &amp;closed beds</source>
        <translation>显示已撤床(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Open bed…</source>
        <translation>建床(&amp;O)…</translation>
    </message>
    <message>
        <source>Record c&amp;heck…</source>
        <translation>记录查床(&amp;H)…</translation>
    </message>
    <message>
        <source>Clos&amp;e bed…</source>
        <translation>撤床(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Print list…</source>
        <translation>打印一览(&amp;P)…</translation>
    </message>
    <message>
        <source>Loading family beds…</source>
        <translation>正在读取家庭病床…</translation>
    </message>
    <message>
        <source>{count} open, {missed} with checks missed</source>
        <translation>在床 {count} 张，其中 {missed} 张有漏查</translation>
    </message>
    <message>
        <source>{name}, {home} {bed} — {indication}; doctor: {doctor}</source>
        <translation>{name}，{home} {bed}：{indication}；责任医生：{doctor}</translation>
    </message>
    <message>
        <source>Care plan: {plan}</source>
        <translation>护理计划：{plan}</translation>
    </message>
    <message>
        <source>{order} every {days} days</source>
        <translation>{order}，每 {days} 日</translation>
    </message>
    <message>
        <source>Orders: {orders}</source>
        <translation>医嘱：{orders}</translation>
    </message>
    <message>
        <source>Checked {day} by {who}: {findings}</source>
        <translation>{day} {who} 查床：{findings}</translation>
    </message>
    <message>
        <source>Next check due by {day}.</source>
        <translation>下次查床最迟 {day}。</translation>
    </message>
    <message>
        <source>Closed {day}: {summary}</source>
        <translation>{day} 撤床：{summary}</translation>
    </message>
    <message>
        <source>Open a family bed: choose the resident</source>
        <translation>建床：选择居民</translation>
    </message>
    <message>
        <source>Preparing the family beds list…</source>
        <translation>正在生成家庭病床一览…</translation>
    </message>
</context>
<context>
    <name>CancelDialog</name>
    <message>
        <source>Cancel a round</source>
        <translation>取消巡诊</translation>
    </message>
    <message>
        <source>Cancel the round at {institution} on {day}? The agreement asks for at least one round a week.</source>
        <translation>取消 {institution} {day} 的巡诊？签约协议要求每周至少巡诊一次。</translation>
    </message>
    <message>
        <source>&amp;Reason (required):</source>
        <translation>取消原因（必填）(&amp;R)：</translation>
    </message>
    <message>
        <source>Cancel round</source>
        <translation>取消巡诊</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <source>Choose your own password</source>
        <translation>设置本人密码</translation>
    </message>
    <message>
        <source>Signed in as {login} with a password an administrator set. Choose a password of your own before you go on: at least 8 characters, not the login and not the password you were given.</source>
        <translation>您以 {login} 登录，使用的是管理员设置的密码。继续之前请设置本人的密码：至少 8 个字符，不能与用户名相同，也不能沿用管理员给的密码。</translation>
    </message>
    <message>
        <source>Signed in as {login}. The new password needs at least 8 characters and must differ from the login.</source>
        <translation>当前登录账号：{login}。新密码至少 8 个字符，且不能与用户名相同。</translation>
    </message>
    <message>
        <source>&amp;Current password:</source>
        <translation>当前密码(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>新密码(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Repeat the new password:</source>
        <translation>再次输入新密码(&amp;R)：</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>注销</translation>
    </message>
    <message>
        <source>Enter your current password.</source>
        <translation>请输入当前密码。</translation>
    </message>
    <message>
        <source>Enter the new password.</source>
        <translation>请输入新密码。</translation>
    </message>
    <message>
        <source>The two new passwords are not the same.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
</context>
<context>
    <name>CheckBedDialog</name>
    <message>
        <source>Record a check — {name}</source>
        <translation>记录查床：{name}</translation>
    </message>
    <message>
        <source>Checked &amp;on:</source>
        <translation>查床日期(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Findings:</source>
        <translation>查床所见(&amp;F)：</translation>
    </message>
    <message>
        <source>Orders carried out:</source>
        <translation>已执行的医嘱：</translation>
    </message>
    <message>
        <source>Save check</source>
        <translation>保存查床</translation>
    </message>
</context>
<context>
    <name>CloseBedDialog</name>
    <message>
        <source>Close the family bed — {name}</source>
        <translation>撤床：{name}</translation>
    </message>
    <message>
        <source>Closed &amp;on:</source>
        <translation>撤床日期(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>撤床原因(&amp;R)：</translation>
    </message>
    <message>
        <source>Discharge &amp;summary:</source>
        <translation>撤床小结(&amp;S)：</translation>
    </message>
    <message>
        <source>Close bed</source>
        <translation>撤床</translation>
    </message>
</context>
<context>
    <name>ConflictModel</name>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>What</source>
        <translation>冲突内容</translation>
    </message>
    <message>
        <source>Value applied</source>
        <translation>当前采用的值</translation>
    </message>
    <message>
        <source>Other value</source>
        <translation>另一个值</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>发现时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <source>Conflicts</source>
        <translation>同步冲突</translation>
    </message>
    <message>
        <source>Show resol&amp;ved</source>
        <translation>显示已处理(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Read the conflicts again (F5)</source>
        <translation>重新读取冲突（F5）</translation>
    </message>
    <message>
        <source>&amp;Not the same person: keep both residents</source>
        <translation>不是同一个人：保留两位居民(&amp;N)</translation>
    </message>
    <message>
        <source>Only a doctor or an administrator can choose which value to keep; your role can look at the conflicts but not resolve them.</source>
        <translation>只有医生或管理员可以选择保留哪个值；您的角色可以查看冲突，但不能处理。</translation>
    </message>
    <message>
        <source>Same ID number twice</source>
        <translation>身份证号重复</translation>
    </message>
    <message>
        <source>Two open family beds</source>
        <translation>同一居民两张在床的家庭病床</translation>
    </message>
    <message>
        <source>Deleted vs. changed</source>
        <translation>删除与修改冲突</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Building</source>
        <translation>楼号</translation>
    </message>
    <message>
        <source>Room</source>
        <translation>房间</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>床位</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Triage colour</source>
        <translation>分类颜色</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Guardian</source>
        <translation>监护人</translation>
    </message>
    <message>
        <source>Guardian's phone</source>
        <translation>监护人电话</translation>
    </message>
    <message>
        <source>Care level</source>
        <translation>照护等级</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>巡诊所见</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>处理措施</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>巡诊记录</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>签约协议</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>人员</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>kept (not deleted)</source>
        <translation>保留（未删除）</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>(removed)</source>
        <translation>（已移除）</translation>
    </message>
    <message>
        <source>To review</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Settled by a later change</source>
        <translation>已被后续修改取代</translation>
    </message>
    <message>
        <source>Kept apart</source>
        <translation>已确认非同一人</translation>
    </message>
    <message>
        <source>Merged</source>
        <translation>已合并</translation>
    </message>
    <message>
        <source>Value chosen</source>
        <translation>已选定</translation>
    </message>
    <message>
        <source>{n} to review</source>
        <translation>{n} 条待处理</translation>
    </message>
    <message>
        <source>Nothing to review</source>
        <translation>没有待处理的冲突</translation>
    </message>
    <message>
        <source>Choose a conflict in the list to see both values.</source>
        <translation>在列表中选择一条冲突，查看两个值。</translation>
    </message>
    <message>
        <source>Resident recorded first</source>
        <translation>先登记的居民</translation>
    </message>
    <message>
        <source>Resident recorded again</source>
        <translation>再次登记的居民</translation>
    </message>
    <message>
        <source>Keep the &amp;first, merge the other into it</source>
        <translation>保留前者，合并后者(&amp;F)</translation>
    </message>
    <message>
        <source>Keep the &amp;second, merge the other into it</source>
        <translation>保留后者，合并前者(&amp;S)</translation>
    </message>
    <message>
        <source>Bed opened first</source>
        <translation>先建的病床</translation>
    </message>
    <message>
        <source>Bed opened later</source>
        <translation>后建的病床</translation>
    </message>
    <message>
        <source>Keep the &amp;first bed, move the other's orders and checks to it</source>
        <translation>保留先建的病床(&amp;F)，另一张的医嘱和查床记录并入</translation>
    </message>
    <message>
        <source>Keep the &amp;second bed, move the other's orders and checks to it</source>
        <translation>保留后建的病床(&amp;S)，另一张的医嘱和查床记录并入</translation>
    </message>
    <message>
        <source>Applied on every device now</source>
        <translation>各设备当前采用的值</translation>
    </message>
    <message>
        <source>The other value</source>
        <translation>另一个值</translation>
    </message>
    <message>
        <source>&amp;Keep the value applied</source>
        <translation>保留当前值(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Use the other value instead</source>
        <translation>改用另一个值(&amp;U)</translation>
    </message>
    <message>
        <source>on {device}, {when}</source>
        <translation>{device}，{when}</translation>
    </message>
</context>
<context>
    <name>DailyQuantityDialog</name>
    <message>
        <source>Daily quantity — {medication}</source>
        <translation>每日用量：{medication}</translation>
    </message>
    <message>
        <source>Units a &amp;day:</source>
        <translation>每日用量(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation>单位(&amp;U)：</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation>工作概览</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Fetch the figures again (F5)</source>
        <translation>重新获取数据（F5）</translation>
    </message>
    <message>
        <source>Record &amp;visits of this round</source>
        <translation>录入本次巡诊(&amp;V)</translation>
    </message>
    <message>
        <source>Signed institutions</source>
        <translation>签约机构</translation>
    </message>
    <message>
        <source>Residents in residence</source>
        <translation>在住居民</translation>
    </message>
    <message>
        <source>Rounds this week</source>
        <translation>本周巡诊</translation>
    </message>
    <message>
        <source>Residents overdue for a visit</source>
        <translation>逾期未访居民</translation>
    </message>
    <message>
        <source>Agreements</source>
        <translation>签约协议</translation>
    </message>
    <message>
        <source>Today's rounds</source>
        <translation>今日巡诊</translation>
    </message>
    <message>
        <source>Figures for {date}</source>
        <translation>统计日期：{date}</translation>
    </message>
    <message>
        <source>by triage colour</source>
        <translation>按分类</translation>
    </message>
    <message>
        <source>as on the Overdue page: due at an earlier round (visit interval, yearly check or follow-up) and not seen since</source>
        <translation>与“逾期未访”页相同：在之前的巡诊中应访（随访间隔、年度体检或随访）而至今未访</translation>
    </message>
    <message>
        <source>rounds this week (cancelled ones not counted)</source>
        <translation>本周巡诊次数（不含已取消）</translation>
    </message>
    <message>
        <source>of which held:</source>
        <translation>其中已完成</translation>
    </message>
    <message>
        <source>of which still to come:</source>
        <translation>其中待进行</translation>
    </message>
    <message>
        <source>cancelled (not counted above):</source>
        <translation>已取消（不计入上述次数）</translation>
    </message>
    <message>
        <source>institutions whose agreement needs renewing</source>
        <translation>需续签协议的机构</translation>
    </message>
    <message>
        <source>ends within {days} days:</source>
        <translation>{days} 天内到期</translation>
    </message>
    <message>
        <source>has ended:</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>by kind</source>
        <translation>按机构类型</translation>
    </message>
    <message>
        <source>Choose one and press Enter to record its visits.</source>
        <translation>选择一项，按回车录入巡诊。</translation>
    </message>
    <message>
        <source>Recording visits is for doctors and nurses.</source>
        <translation>巡诊由医生和护士录入。</translation>
    </message>
    <message>
        <source>No round is planned for today.</source>
        <translation>今天没有安排巡诊。</translation>
    </message>
    <message>
        <source>✓ done</source>
        <translation>✓ 已完成</translation>
    </message>
    <message>
        <source>○ planned</source>
        <translation>○ 已安排</translation>
    </message>
    <message>
        <source>{institution} · {team} — {status}, {count} visit(s) recorded</source>
        <translation>{institution} · {team} — {status}，已录入 {count} 人</translation>
    </message>
</context>
<context>
    <name>DayDialog</name>
    <message>
        <source>&amp;Institution:</source>
        <translation>机构(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Day:</source>
        <translation>日期(&amp;D)：</translation>
    </message>
</context>
<context>
    <name>DispenseDialog</name>
    <message>
        <source>Record a refill — {name}</source>
        <translation>记录代配药：{name}</translation>
    </message>
    <message>
        <source>Medication:</source>
        <translation>药品：</translation>
    </message>
    <message>
        <source>Dispensed &amp;on:</source>
        <translation>配药日期(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Quantity:</source>
        <translation>数量(&amp;Q)：</translation>
    </message>
    <message>
        <source>&amp;Collected by:</source>
        <translation>代领人(&amp;C)：</translation>
    </message>
</context>
<context>
    <name>DoseChangesSection</name>
    <message>
        <source>Do&amp;se changes:</source>
        <translation>剂量调整(&amp;S)：</translation>
    </message>
    <message>
        <source>A new daily quantity, or Stop: applied when the visit is saved; the refill list follows</source>
        <translation>填写新的每日用量，或勾选停用：保存巡诊时生效，代配药清单随之更新</translation>
    </message>
    <message>
        <source>{name} {quantity} {unit}/day →</source>
        <translation>{name} 每日 {quantity} {unit} →</translation>
    </message>
    <message>
        <source>New daily quantity of {name}</source>
        <translation>{name} 的新每日用量</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Stop {name}</source>
        <translation>停用 {name}</translation>
    </message>
</context>
<context>
    <name>DueModel</name>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>床位</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>上次巡诊</translation>
    </message>
    <message>
        <source>Why due</source>
        <translation>应访原因</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
</context>
<context>
    <name>ExcelExport</name>
    <message>
        <source>Export E&amp;xcel…</source>
        <translation>导出 Excel(&amp;X)…</translation>
    </message>
    <message>
        <source>Save this list, with its filters, as an Excel workbook</source>
        <translation>按当前筛选条件把名单保存为 Excel 文件</translation>
    </message>
    <message>
        <source>Export to Excel</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
</context>
<context>
    <name>FollowUpSection</name>
    <message>
        <source>&amp;Hypertension:</source>
        <translation>高血压(&amp;H)：</translation>
    </message>
    <message>
        <source>Diabetes:</source>
        <translation>糖尿病：</translation>
    </message>
    <message>
        <source>— not classified</source>
        <translation>— 未分类</translation>
    </message>
    <message>
        <source>— adherence</source>
        <translation>— 服药依从性</translation>
    </message>
    <message>
        <source>height cm</source>
        <translation>身高 cm</translation>
    </message>
    <message>
        <source>— foot pulses</source>
        <translation>— 足背动脉搏动</translation>
    </message>
    <message>
        <source>Lifestyle advice: salt, diet, exercise, smoking, alcohol</source>
        <translation>生活方式指导：限盐、饮食、运动、戒烟、限酒</translation>
    </message>
    <message>
        <source>Follow-up form:</source>
        <translation>随访表：</translation>
    </message>
    <message>
        <source>Choose after measuring (target below 140/90 mmHg, 150/90 from 65)</source>
        <translation>测量后选择（目标 &lt; 140/90 mmHg，≥ 65 岁 &lt; 150/90）</translation>
    </message>
    <message>
        <source>Choose after measuring (fasting glucose below 7.0 mmol/L)</source>
        <translation>测量后选择（空腹血糖 &lt; 7.0 mmol/L）</translation>
    </message>
    <message>
        <source>Why: {why}</source>
        <translation>依据：{why}</translation>
    </message>
    <message>
        <source>Suggested: {choice} — {why}</source>
        <translation>建议：{choice} — {why}</translation>
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
        <translation>时间</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>By</source>
        <translation>确认人</translation>
    </message>
    <message>
        <source>Override reason</source>
        <translation>调整原因</translation>
    </message>
</context>
<context>
    <name>InstitutionFilter</name>
    <message>
        <source>All institutions</source>
        <translation>全部机构</translation>
    </message>
</context>
<context>
    <name>InstitutionsPage</name>
    <message>
        <source>Institutions</source>
        <translation>签约机构</translation>
    </message>
    <message>
        <source>&amp;New institution</source>
        <translation>新增机构(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Fetch the list again (F5)</source>
        <translation>重新读取列表（F5）</translation>
    </message>
    <message>
        <source>Read-only: your role may look at institutions and agreements but not change them.</source>
        <translation>只读：您的角色可以查看机构和协议，但不能修改。</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Beds</source>
        <translation>床位数</translation>
    </message>
    <message>
        <source>In residence</source>
        <translation>在住人数</translation>
    </message>
    <message>
        <source>Signed</source>
        <translation>已签约</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>签约覆盖率</translation>
    </message>
    <message>
        <source>Agreement until</source>
        <translation>协议到期</translation>
    </message>
    <message>
        <source>open-ended</source>
        <translation>长期</translation>
    </message>
    <message>
        <source>Agreement</source>
        <translation>协议状态</translation>
    </message>
    <message>
        <source>Round days</source>
        <translation>巡诊日</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>&amp;Save institution</source>
        <translation>保存机构(&amp;S)</translation>
    </message>
    <message>
        <source>N&amp;ame:</source>
        <translation>名称(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <source>Add&amp;ress:</source>
        <translation>地址(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Beds:</source>
        <translation>床位数(&amp;B)：</translation>
    </message>
    <message>
        <source>Internal &amp;medical unit:</source>
        <translation>内设医疗机构(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Contact person:</source>
        <translation>联系人(&amp;C)：</translation>
    </message>
    <message>
        <source>Contact &amp;phone:</source>
        <translation>联系电话(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Green-channel hospital:</source>
        <translation>绿色通道医院(&amp;G)：</translation>
    </message>
    <message>
        <source>Green-channel p&amp;hone:</source>
        <translation>绿色通道电话(&amp;H)：</translation>
    </message>
    <message>
        <source>Expiring within {days} days: {names}</source>
        <translation>{days} 天内到期：{names}</translation>
    </message>
    <message>
        <source>Expired or no agreement: {names}</source>
        <translation>已过期或无协议：{names}</translation>
    </message>
    <message>
        <source>✓ Every agreement is in force.</source>
        <translation>✓ 所有协议均在有效期内。</translation>
    </message>
    <message>
        <source>Institution: {name}</source>
        <translation>机构：{name}</translation>
    </message>
    <message>
        <source>Last changed by {who}</source>
        <translation>最后修改：{who}</translation>
    </message>
    <message>
        <source>New institution</source>
        <translation>新增机构</translation>
    </message>
    <message>
        <source>Institution: choose one in the list</source>
        <translation>机构：请在上方列表中选择</translation>
    </message>
    <message>
        <source>&amp;Add institution</source>
        <translation>添加机构(&amp;A)</translation>
    </message>
</context>
<context>
    <name>JoinCenterDialog</name>
    <message>
        <source>Join a center</source>
        <translation>加入中心</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>empty: the name given when the join package was made</source>
        <translation>留空则使用制作加入包时填写的名称</translation>
    </message>
    <message>
        <source>&amp;Join package:</source>
        <translation>加入文件(&amp;J)：</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>口令(&amp;P)：</translation>
    </message>
    <message>
        <source>This device's &amp;name:</source>
        <translation>本设备名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>加入</translation>
    </message>
    <message>
        <source>Use the join package and passphrase made on the center's workstation.</source>
        <translation>请使用中心工作站生成的加入文件和口令。</translation>
    </message>
    <message>
        <source>Join package</source>
        <translation>加入文件</translation>
    </message>
    <message>
        <source>Choose the join package first.</source>
        <translation>请先选择加入文件。</translation>
    </message>
    <message>
        <source>Setting up this device…</source>
        <translation>正在设置本设备…</translation>
    </message>
</context>
<context>
    <name>LockBanner</name>
    <message>
        <source>&amp;Correct…</source>
        <translation>更正(&amp;C)…</translation>
    </message>
    <message>
        <source>Correct this visit: saving makes a new version (Ctrl+E)</source>
        <translation>更正这条记录：保存后生成新版本（Ctrl+E）</translation>
    </message>
    <message>
        <source>the command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>Saved visit, version {version}, recorded by {who} on {when}.</source>
        <translation>已保存的巡诊记录，第 {version} 版，由{who}于 {when} 录入。</translation>
    </message>
    <message>
        <source>It corrects version {previous}.</source>
        <translation>此版更正了第 {previous} 版。</translation>
    </message>
    <message>
        <source>A saved visit is locked: a correction is saved as a new version and the old one stays in the history (Ctrl+E).</source>
        <translation>已保存的记录不能直接修改：更正将另存为新版本，原版本保留在历史中（Ctrl+E）。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Sign out</source>
        <translation>注销(&amp;S)</translation>
    </message>
    <message>
        <source>Change my &amp;password…</source>
        <translation>修改我的密码(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Backup and restore…</source>
        <translation>备份与恢复(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>偏好设置(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Triage rules…</source>
        <translation>分类规则(&amp;T)…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>注销</translation>
    </message>
    <message>
        <source>CareRounds</source>
        <translation>医养巡诊</translation>
    </message>
    <message>
        <source>{name} ({role})</source>
        <translation>{name}（{role}）</translation>
    </message>
    <message>
        <source>Read-only: CareRounds may not write the database file {path} (no write permission on the file or its folder). You can look at everything, but no change can be saved. To make changes, ask the administrator for write permission, then open CareRounds again.</source>
        <translation>只读：医养巡诊没有写入数据库文件 {path} 的权限（文件或所在文件夹不可写）。所有内容都可以查看，但任何修改都无法保存。如需修改，请让管理员开放写入权限，然后重新打开医养巡诊。</translation>
    </message>
    <message>
        <source>Creating the demo center (first use only)…</source>
        <translation>正在创建演示中心（仅首次使用时）…</translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <source>Demo logins: {logins} …, password {password}</source>
        <translation>演示账号：{logins} 等，密码均为 {password}</translation>
    </message>
    <message>
        <source>The database {path} cannot be opened: {reason}</source>
        <translation>无法打开数据库 {path}：{reason}</translation>
    </message>
    <message>
        <source>This computer joined {center} as “{device}”. Sign in with your usual login.</source>
        <translation>本机已作为“{device}”加入{center}。请用您平时的账号登录。</translation>
    </message>
    <message>
        <source>Not encrypted — Encrypt the database…</source>
        <translation>未加密 — 加密数据库…</translation>
    </message>
    <message>
        <source>Anyone who copies this database file can read every record. Encrypt it (administrator).</source>
        <translation>任何人复制这个数据库文件都能读到全部档案。请加密（管理员）。</translation>
    </message>
    <message>
        <source>Encrypt the database?</source>
        <translation>加密数据库？</translation>
    </message>
    <message>
        <source>This database is not encrypted: anyone who copies the file can read every resident's record. Encrypt it now? It takes a moment; then a recovery key is shown once, to print and keep in the center's safe. Close other CareRounds windows on this computer first.</source>
        <translation>这个数据库未加密：任何人复制该文件都能读到每位居民的档案。现在加密吗？需要片刻；之后会显示一次恢复密钥，请打印并锁在中心的保险柜里。请先关闭本机上医养巡诊的其他窗口。</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <source>The database is encrypted. This is its recovery key, shown only now:

{key}

Print it or copy it by hand and lock it in the center's safe, never with the computer. If every administrator password is lost, it opens the database to reset one.</source>
        <translation>数据库已加密。这是它的恢复密钥，只显示这一次：

{key}

请打印或手工抄写，锁在中心的保险柜里，不要和电脑放在一起。所有管理员密码都遗失时，可凭它打开数据库、重设密码。</translation>
    </message>
    <message>
        <source>The database is encrypted.</source>
        <translation>数据库已加密。</translation>
    </message>
    <message>
        <source>The daily backup failed — details…</source>
        <translation>每日备份失败 — 详情…</translation>
    </message>
    <message>
        <source>The daily backup failed</source>
        <translation>每日备份失败</translation>
    </message>
    <message>
        <source>The daily backup failed: {reason}</source>
        <translation>每日备份失败：{reason}</translation>
    </message>
    <message>
        <source>Triage rules</source>
        <translation>分类规则</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Your password was changed.</source>
        <translation>您的密码已修改。</translation>
    </message>
    <message>
        <source>The new language takes effect when CareRounds starts again.</source>
        <translation>新的界面语言将在重新启动医养巡诊后生效。</translation>
    </message>
    <message>
        <source>Open a database on a ser&amp;ver…</source>
        <translation>打开服务器上的数据库(&amp;V)…</translation>
    </message>
</context>
<context>
    <name>NotesSection</name>
    <message>
        <source>Symptoms and findings, e.g. dizziness, oedema</source>
        <translation>症状和体征，如头晕、水肿</translation>
    </message>
    <message>
        <source>What was done or advised</source>
        <translation>已做的处理或医嘱</translation>
    </message>
    <message>
        <source>Started, stopped or changed doses</source>
        <translation>新增、停用或调整剂量的药物</translation>
    </message>
    <message>
        <source>F&amp;indings:</source>
        <translation>症状体征(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Actions:</source>
        <translation>处理措施(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Medication changes:</source>
        <translation>用药调整(&amp;M)：</translation>
    </message>
</context>
<context>
    <name>Op</name>
    <message>
        <source>CareRounds</source>
        <translation>医养巡诊</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>An unexpected error occurred:
{error}</source>
        <translation>发生了意外错误：
{error}</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
</context>
<context>
    <name>OpenBedDialog</name>
    <message>
        <source>Open a family bed — {name}</source>
        <translation>建床：{name}</translation>
    </message>
    <message>
        <source>e.g. pressure ulcer stage II, long-term catheter</source>
        <translation>如：压疮 II 期、长期留置导尿</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>what exactly (optional)</source>
        <translation>具体内容（可不填）</translation>
    </message>
    <message>
        <source>&amp;Add order</source>
        <translation>添加医嘱(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Remove order</source>
        <translation>删除医嘱(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Indication:</source>
        <translation>建床指征(&amp;I)：</translation>
    </message>
    <message>
        <source>Opened &amp;on:</source>
        <translation>建床日期(&amp;O)：</translation>
    </message>
    <message>
        <source>Care &amp;plan:</source>
        <translation>护理计划(&amp;P)：</translation>
    </message>
    <message>
        <source>every</source>
        <translation>每</translation>
    </message>
    <message>
        <source>Orders (医嘱), from the opening day:</source>
        <translation>医嘱（自建床日起执行）：</translation>
    </message>
    <message>
        <source>Open bed</source>
        <translation>建床</translation>
    </message>
    <message>
        <source>{kind} every {days} days</source>
        <translation>{kind}，每 {days} 日</translation>
    </message>
</context>
<context>
    <name>OverdueModel</name>
    <message>
        <source>Days overdue</source>
        <translation>逾期天数</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>床位</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>上次巡诊</translation>
    </message>
    <message>
        <source>Outstanding</source>
        <translation>逾期项目</translation>
    </message>
    <message>
        <source>Contact phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
</context>
<context>
    <name>OverduePage</name>
    <message>
        <source>Overdue residents</source>
        <translation>逾期未访</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>机构(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Print list…</source>
        <translation>打印名单(&amp;P)…</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>逾期未访名单</translation>
    </message>
    <message>
        <source>Due at an earlier round and not seen since. Days count from that round.</source>
        <translation>在之前的巡诊中应访而至今未访。逾期天数从那次巡诊算起。</translation>
    </message>
    <message>
        <source>Finding overdue residents…</source>
        <translation>正在查找逾期未访居民…</translation>
    </message>
    <message>
        <source>{count} overdue: {detail}</source>
        <translation>逾期 {count} 人：{detail}</translation>
    </message>
    <message>
        <source>Preparing the overdue list…</source>
        <translation>正在生成逾期名单…</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <source>Set a colour</source>
        <translation>设定分类</translation>
    </message>
    <message>
        <source>Set the colour of {count} resident(s) instead of the suggestion. The reason is kept in the colour history.</source>
        <translation>不采用建议，为 {count} 位居民设定分类。原因将记入分类历史。</translation>
    </message>
    <message>
        <source>e.g. stable for three months, family present daily</source>
        <translation>例如：近三个月病情稳定，家属每日陪护</translation>
    </message>
    <message>
        <source>&amp;Reason (required):</source>
        <translation>原因（必填）(&amp;R)：</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>New password for {name}</source>
        <translation>为{name}设置新密码</translation>
    </message>
    <message>
        <source>At least 8 characters, not the same as the login.</source>
        <translation>至少 8 个字符，且不能与用户名相同。</translation>
    </message>
    <message>
        <source>At least 8 characters, not the same as the login. Tell it to {name} in person: at the next sign-in they must replace it with a password of their own.</source>
        <translation>至少 8 个字符，且不能与用户名相同。请当面告知{name}：下次登录时须改为本人的密码。</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>新密码(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>再次输入(&amp;R)：</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>Preparing the preview…</source>
        <translation>正在生成预览…</translation>
    </message>
    <message>
        <source>&amp;Print…</source>
        <translation>打印(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation>另存为 PDF(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Open in PDF reader</source>
        <translation>用 PDF 阅读器打开(&amp;O)</translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <translation>第 {page} 页 / 共 {pages} 页</translation>
    </message>
    <message>
        <source>{pages} page(s). Print it, save it, or open it in a PDF reader.</source>
        <translation>共 {pages} 页。可以打印、保存，或用 PDF 阅读器打开。</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation>已保存到 {path}</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Preparing the pages for the printer…</source>
        <translation>正在准备打印页面…</translation>
    </message>
    <message>
        <source>The printer cannot be used.</source>
        <translation>无法使用该打印机。</translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <translation>已发送到打印机。</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>偏好设置</translation>
    </message>
    <message>
        <source>A new language takes effect when CareRounds starts again.</source>
        <translation>新的界面语言将在重新启动医养巡诊后生效。</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>界面语言(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>Questions</name>
    <message>
        <source>Record visits</source>
        <translation>巡诊录入</translation>
    </message>
    <message>
        <source>Add a referral</source>
        <translation>填写转诊</translation>
    </message>
    <message>
        <source>Save without a referral</source>
        <translation>不转诊，直接保存</translation>
    </message>
    <message>
        <source>Also record {name} as “{status}” from {date}? The residence status changes and the resident is no longer due for rounds.</source>
        <translation>是否同时将 {name} 的居住状态改为“{status}”（自 {date} 起）？状态改变后，该居民不再列入巡诊名单。</translation>
    </message>
    <message>
        <source>Save and change the status</source>
        <translation>保存并修改状态</translation>
    </message>
    <message>
        <source>Save the visit only</source>
        <translation>只保存巡诊记录</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>This visit recorded {name} as “{status}” from {date}; the corrected outcome no longer says so. Also undo that status change (back to “{previous}”)?</source>
        <translation>这条巡诊记录曾将 {name} 的居住状态改为“{status}”（自 {date} 起）；更正后的巡诊结果已不再是这样。是否同时撤销这次状态变更（恢复为“{previous}”）？</translation>
    </message>
    <message>
        <source>Save and undo the status</source>
        <translation>保存并撤销状态变更</translation>
    </message>
    <message>
        <source>This visit recorded {name} as “{status}” from {date}; the corrected visit is dated {day}. Also change the date of that status to {day}?</source>
        <translation>这条巡诊记录曾将 {name} 的居住状态改为“{status}”（自 {date} 起）；更正后的巡诊日期为 {day}。是否同时将该状态的日期改为 {day}？</translation>
    </message>
    <message>
        <source>Save and change the status date</source>
        <translation>保存并修改状态日期</translation>
    </message>
    <message>
        <source>Save as a correction of it</source>
        <translation>作为该记录的更正保存</translation>
    </message>
    <message numerus="yes">
        <source>%n visit entry(ies) were being typed when CareRounds last stopped and were not saved:</source>
        <translation>
            <numerusform>上次关闭医养巡诊时，有 %n 条巡诊记录正在录入、尚未保存：</numerusform>
        </translation>
    </message>
    <message>
        <source>Open them</source>
        <translation>打开继续录入</translation>
    </message>
    <message>
        <source>Discard them</source>
        <translation>全部放弃</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后再说</translation>
    </message>
</context>
<context>
    <name>RecordAssessmentsTab</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Assessment</source>
        <translation>评估项目</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Assessed by</source>
        <translation>评估人</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Remove the chosen assessment</source>
        <translation>删除所选评估</translation>
    </message>
    <message>
        <source>(not assessed yet)</source>
        <translation>（尚未评估）</translation>
    </message>
    <message>
        <source>{level} ({points} points)</source>
        <translation>{level}（{points} 分）</translation>
    </message>
    <message>
        <source>(not asked yet)</source>
        <translation>（尚未询问）</translation>
    </message>
    <message>
        <source>Level {level}</source>
        <translation>{level} 级</translation>
    </message>
    <message>
        <source>Care &amp;level:</source>
        <translation>照护等级(&amp;L)：</translation>
    </message>
    <message>
        <source>The fall caused an &amp;injury</source>
        <translation>跌倒造成受伤(&amp;I)</translation>
    </message>
    <message>
        <source>(not filled in yet)</source>
        <translation>（尚未填写）</translation>
    </message>
    <message>
        <source>Abnormal findings and guidance (required)</source>
        <translation>异常发现和健康指导（必填）</translation>
    </message>
    <message>
        <source>Doctor's summary:</source>
        <translation>体检结论：</translation>
    </message>
    <message>
        <source>&amp;Record assessment</source>
        <translation>记录评估(&amp;R)</translation>
    </message>
    <message>
        <source>New assessment</source>
        <translation>新增评估</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>评估项目(&amp;K)：</translation>
    </message>
    <message>
        <source>&amp;Date:</source>
        <translation>评估日期(&amp;D)：</translation>
    </message>
    <message>
        <source>N&amp;otes:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Date of the fall:</source>
        <translation>跌倒日期(&amp;D)：</translation>
    </message>
    <message>
        <source>{n} item(s) not assessed yet: no score</source>
        <translation>还有 {n} 项未评估，暂无评分</translation>
    </message>
    <message>
        <source>Score {score}: {band}</source>
        <translation>得分 {score}：{band}</translation>
    </message>
    <message>
        <source>{score} “yes” so far; {n} not asked yet: no result</source>
        <translation>目前 {score} 项“是”；还有 {n} 项未问，暂无结果</translation>
    </message>
    <message>
        <source>Score {score}: {result}</source>
        <translation>得分 {score}：{result}</translation>
    </message>
    <message>
        <source>— refer for a diagnosis unless one is recorded</source>
        <translation>——如尚无诊断，建议转诊明确诊断</translation>
    </message>
</context>
<context>
    <name>RecordConditionsTab</name>
    <message>
        <source>Choose from the list or type a diagnosis</source>
        <translation>从列表中选择，或直接填写诊断</translation>
    </message>
    <message>
        <source>Current (uncheck when resolved)</source>
        <translation>现患（治愈或已不存在时取消勾选）</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>疾病</translation>
    </message>
    <message>
        <source>&amp;Condition:</source>
        <translation>疾病(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;ICD-10 code:</source>
        <translation>ICD-10 编码(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Diagnosed on:</source>
        <translation>诊断日期(&amp;D)：</translation>
    </message>
    <message>
        <source>ICD-10</source>
        <translation>ICD-10</translation>
    </message>
    <message>
        <source>Diagnosed</source>
        <translation>诊断日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>current</source>
        <translation>现患</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>已治愈</translation>
    </message>
    <message>
        <source>&amp;Add condition</source>
        <translation>添加疾病(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Save condition</source>
        <translation>保存疾病(&amp;S)</translation>
    </message>
</context>
<context>
    <name>RecordFlagsTab</name>
    <message>
        <source>&amp;Family bed (ordered by a doctor)</source>
        <translation>家庭病床（医生开设）(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Hospice care</source>
        <translation>安宁疗护(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Long-term-care insurance</source>
        <translation>长护险(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Save flags</source>
        <translation>保存标记(&amp;S)</translation>
    </message>
    <message>
        <source>    &amp;Start:</source>
        <translation>    开始日期(&amp;S)：</translation>
    </message>
    <message>
        <source>    &amp;End:</source>
        <translation>    结束日期(&amp;E)：</translation>
    </message>
    <message>
        <source>Care le&amp;vel:</source>
        <translation>照护等级(&amp;V)：</translation>
    </message>
    <message>
        <source>Levels 2–6 qualify for long-term-care insurance. A new care-level assessment sets the level.</source>
        <translation>照护等级 2–6 级可享受长护险。记录新的照护等级评估后，等级会随之更新。</translation>
    </message>
    <message>
        <source>Open family bed</source>
        <translation>在床的家庭病床</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>医嘱</translation>
    </message>
    <message>
        <source>Every</source>
        <translation>间隔</translation>
    </message>
    <message>
        <source>{days} d</source>
        <translation>每 {days} 日</translation>
    </message>
    <message>
        <source>From</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Due today</source>
        <translation>今日应执行</translation>
    </message>
    <message>
        <source>Not assessed</source>
        <translation>未评估</translation>
    </message>
    <message>
        <source>Level {level}</source>
        <translation>{level} 级</translation>
    </message>
    <message>
        <source>No open family bed. Doctors open, change and close beds on the Family beds page.</source>
        <translation>没有在床的家庭病床。建床、改医嘱和撤床由医生在“家庭病床”页办理。</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>尚未查床</translation>
    </message>
    <message>
        <source>{indication} — doctor {doctor}</source>
        <translation>{indication} — 责任医生 {doctor}</translation>
    </message>
    <message>
        <source>none named</source>
        <translation>未指定</translation>
    </message>
    <message>
        <source>Open since {since}, {days} bed-days; last check {last}, next due by {due}</source>
        <translation>{since} 建床，家床日 {days} 天；末次查床 {last}，下次查床最迟 {due}</translation>
    </message>
    <message>
        <source>⚠ {weeks} weeks without a check</source>
        <translation>⚠ 已有 {weeks} 周未查床</translation>
    </message>
    <message>
        <source>Care plan: {plan}</source>
        <translation>护理计划：{plan}</translation>
    </message>
</context>
<context>
    <name>RecordIdentityTab</name>
    <message>
        <source>18 characters; a final x is fine</source>
        <translation>18 位；末位 x 大小写均可</translation>
    </message>
    <message>
        <source>&amp;Save identity</source>
        <translation>保存基本信息(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>I&amp;D card number:</source>
        <translation>身份证号(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Birth date:</source>
        <translation>出生日期(&amp;B)：</translation>
    </message>
    <message>
        <source>Se&amp;x:</source>
        <translation>性别(&amp;X)：</translation>
    </message>
    <message>
        <source>Insurance n&amp;umber:</source>
        <translation>医保号(&amp;U)：</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>联系电话(&amp;P)：</translation>
    </message>
    <message>
        <source>Health &amp;record number:</source>
        <translation>健康档案编号(&amp;R)：</translation>
    </message>
    <message>
        <source>Guardian or contact</source>
        <translation>监护人或联系人</translation>
    </message>
    <message>
        <source>&amp;Guardian:</source>
        <translation>监护人(&amp;G)：</translation>
    </message>
    <message>
        <source>Re&amp;lationship:</source>
        <translation>关系(&amp;L)：</translation>
    </message>
    <message>
        <source>Guardian's p&amp;hone:</source>
        <translation>监护人电话(&amp;H)：</translation>
    </message>
    <message>
        <source>(from the ID number)</source>
        <translation>（按身份证号）</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>{n} more character(s) to go</source>
        <translation>还差 {n} 位</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>✓ valid: {sex}, born {birth}, {age} years old</source>
        <translation>✓ 有效：{sex}，{birth} 出生，{age} 岁</translation>
    </message>
    <message>
        <source>An old 15-digit number: it is saved as {number}, with a note.</source>
        <translation>15 位旧号码：将保存为 {number}，并在档案中注明</translation>
    </message>
</context>
<context>
    <name>RecordMedicationsTab</name>
    <message>
        <source>e.g. 5mg</source>
        <translation>如 5mg</translation>
    </message>
    <message>
        <source>e.g. 每日1次</source>
        <translation>如 每日1次</translation>
    </message>
    <message>
        <source>units a day, e.g. 2 or 0.5</source>
        <translation>每日单位数，如 2 或 0.5</translation>
    </message>
    <message>
        <source>For proxy refills: the units taken a day. A change applies from today to what is left; 0 stops the medication from today; empty: not followed for refills.</source>
        <translation>用于代配药：每日服用的单位数。修改自今日起按剩余药量计算；填 0 表示自今日起停药；留空则不列入代配药。</translation>
    </message>
    <message>
        <source>片, 粒, 支…</source>
        <translation>片、粒、支…</translation>
    </message>
    <message>
        <source>Medications</source>
        <translation>用药</translation>
    </message>
    <message>
        <source>Medi&amp;cation:</source>
        <translation>药品名称(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Frequency:</source>
        <translation>用法频次(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Dose:</source>
        <translation>剂量(&amp;D)：</translation>
    </message>
    <message>
        <source>S&amp;topped:</source>
        <translation>停药日期(&amp;T)：</translation>
    </message>
    <message>
        <source>Sta&amp;rted:</source>
        <translation>开始用药(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation>单位(&amp;U)：</translation>
    </message>
    <message>
        <source>Daily &amp;quantity:</source>
        <translation>每日用量(&amp;Q)：</translation>
    </message>
    <message>
        <source>Allergies</source>
        <translation>过敏史</translation>
    </message>
    <message>
        <source>A&amp;llergen:</source>
        <translation>过敏原(&amp;L)：</translation>
    </message>
    <message>
        <source>Reactio&amp;n:</source>
        <translation>过敏反应(&amp;N)：</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>药品名称</translation>
    </message>
    <message>
        <source>Dose</source>
        <translation>剂量</translation>
    </message>
    <message>
        <source>Frequency</source>
        <translation>用法频次</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>停药</translation>
    </message>
    <message>
        <source>A day</source>
        <translation>每日用量</translation>
    </message>
    <message>
        <source>Runs out</source>
        <translation>用完日期</translation>
    </message>
    <message>
        <source>Allergen</source>
        <translation>过敏原</translation>
    </message>
    <message>
        <source>Reaction</source>
        <translation>过敏反应</translation>
    </message>
    <message>
        <source>&amp;Add medication</source>
        <translation>添加用药(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Save medication</source>
        <translation>保存用药(&amp;S)</translation>
    </message>
    <message>
        <source>never dispensed</source>
        <translation>无发药记录</translation>
    </message>
    <message>
        <source>not running out</source>
        <translation>不会用完</translation>
    </message>
    <message>
        <source>ran out {day}</source>
        <translation>{day} 起已断药</translation>
    </message>
    <message>
        <source>⚠ ran out on {day}: no refill since</source>
        <translation>⚠ {day} 起已断药，之后未再配药</translation>
    </message>
    <message>
        <source>lasts until {day}</source>
        <translation>可用至 {day}</translation>
    </message>
    <message>
        <source>Add allerg&amp;y</source>
        <translation>添加过敏(&amp;Y)</translation>
    </message>
    <message>
        <source>Save allerg&amp;y</source>
        <translation>保存过敏(&amp;Y)</translation>
    </message>
</context>
<context>
    <name>RecordResidenceTab</name>
    <message>
        <source>A new bed or institution is a move on this date; the previous bed stays in the history.</source>
        <translation>更换床位或机构按此日期记为调换，原床位保留在居住记录中。</translation>
    </message>
    <message>
        <source>&amp;Save residence</source>
        <translation>保存居住信息(&amp;S)</translation>
    </message>
    <message>
        <source>Buildin&amp;g</source>
        <translation>楼栋(&amp;G)</translation>
    </message>
    <message>
        <source>R&amp;oom</source>
        <translation>房间(&amp;O)</translation>
    </message>
    <message>
        <source>B&amp;ed</source>
        <translation>床位(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>机构(&amp;I)：</translation>
    </message>
    <message>
        <source>Bed:</source>
        <translation>床位：</translation>
    </message>
    <message>
        <source>A&amp;dmission date:</source>
        <translation>入住日期(&amp;D)：</translation>
    </message>
    <message>
        <source>&amp;Move date:</source>
        <translation>调换日期(&amp;M)：</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>居住状态</translation>
    </message>
    <message>
        <source>&amp;Change status</source>
        <translation>变更状态(&amp;C)</translation>
    </message>
    <message>
        <source>Now:</source>
        <translation>当前：</translation>
    </message>
    <message>
        <source>New s&amp;tatus:</source>
        <translation>新状态(&amp;T)：</translation>
    </message>
    <message>
        <source>Da&amp;te:</source>
        <translation>日期(&amp;T)：</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>备注(&amp;O)：</translation>
    </message>
    <message>
        <source>Beds and institutions</source>
        <translation>居住记录</translation>
    </message>
    <message>
        <source>Status history</source>
        <translation>状态变更记录</translation>
    </message>
    <message>
        <source>From</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>now</source>
        <translation>至今</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>床位</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Change status</source>
        <translation>变更状态</translation>
    </message>
    <message>
        <source>Record that {name} is “{status}” as of {date}? The current stay ends on that day.</source>
        <translation>确认登记 {name} 自 {date} 起为“{status}”？本次入住将在当天结束。</translation>
    </message>
</context>
<context>
    <name>RecordSigningTab</name>
    <message>
        <source>&amp;Save signing</source>
        <translation>保存签约信息(&amp;S)</translation>
    </message>
    <message>
        <source>Si&amp;gned on:</source>
        <translation>签约日期(&amp;G)：</translation>
    </message>
    <message>
        <source>Family &amp;doctor:</source>
        <translation>签约医生(&amp;D)：</translation>
    </message>
    <message>
        <source>Service &amp;package:</source>
        <translation>服务包(&amp;P)：</translation>
    </message>
    <message>
        <source>Leave everything empty if the resident has not signed with a family doctor.</source>
        <translation>如居民尚未与家庭医生签约，请全部留空。</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>RecordVisitsTab</name>
    <message>
        <source>Referred</source>
        <translation>转诊日期</translation>
    </message>
    <message>
        <source>To</source>
        <translation>转往</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Record the outcome (closes the referral)</source>
        <translation>记录结果（结束转诊）</translation>
    </message>
    <message>
        <source>Referrals</source>
        <translation>转诊</translation>
    </message>
    <message>
        <source>Outcome of the chosen referral:</source>
        <translation>所选转诊的结果：</translation>
    </message>
    <message>
        <source>on</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>closed {date}: {outcome}</source>
        <translation>已结束 {date}：{outcome}</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyDialog</name>
    <message>
        <source>Use the recovery key</source>
        <translation>使用恢复密钥</translation>
    </message>
    <message>
        <source>If every administrator password is lost: type the recovery key printed when the center was set up or encrypted, the administrator's login and a new password for it.</source>
        <translation>所有管理员密码都遗失时：请输入建立或加密中心时打印的恢复密钥、管理员的用户名和新的密码。</translation>
    </message>
    <message>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <source>Administrator's login</source>
        <translation>管理员用户名</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Reset the password</source>
        <translation>重设密码</translation>
    </message>
    <message>
        <source>Fill in the recovery key, the login and the new password.</source>
        <translation>请填写恢复密钥、用户名和新密码。</translation>
    </message>
    <message>
        <source>The two new passwords differ.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
</context>
<context>
    <name>ReferralSection</name>
    <message>
        <source>— still open</source>
        <translation>— 尚未结束</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>&amp;Urgent</source>
        <translation>紧急(&amp;U)</translation>
    </message>
    <message>
        <source>Green channel</source>
        <translation>绿色通道</translation>
    </message>
    <message>
        <source>&amp;Referral to:</source>
        <translation>转诊去向(&amp;R)：</translation>
    </message>
    <message>
        <source>e.g. {hospital} (green channel)</source>
        <translation>如 {hospital}（绿色通道）</translation>
    </message>
    <message>
        <source>Hospital or department</source>
        <translation>医院或科室</translation>
    </message>
    <message>
        <source>Open referral of {date} to {destination}: its outcome</source>
        <translation>{date} 转往{destination}的转诊尚未结束，本次记录结果：</translation>
    </message>
</context>
<context>
    <name>RefillModel</name>
    <message>
        <source>Bed</source>
        <translation>床位</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Medication</source>
        <translation>药品</translation>
    </message>
    <message>
        <source>How taken</source>
        <translation>用法用量</translation>
    </message>
    <message>
        <source>Runs out</source>
        <translation>用完日期</translation>
    </message>
    <message>
        <source>To dispense</source>
        <translation>配药数量</translation>
    </message>
    <message>
        <source>Last dispensed</source>
        <translation>上次配药</translation>
    </message>
    <message>
        <source>never dispensed</source>
        <translation>无发药记录</translation>
    </message>
    <message>
        <source>{day} (ran out)</source>
        <translation>{day}（已断药）</translation>
    </message>
</context>
<context>
    <name>RefillsPage</name>
    <message>
        <source>Proxy refills</source>
        <translation>代配药</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>机构(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Round &amp;day:</source>
        <translation>巡诊日(&amp;D)：</translation>
    </message>
    <message>
        <source>Record refi&amp;ll…</source>
        <translation>记录配药(&amp;L)…</translation>
    </message>
    <message>
        <source>Daily &amp;quantity…</source>
        <translation>每日用量(&amp;Q)…</translation>
    </message>
    <message>
        <source>&amp;Print refill list…</source>
        <translation>打印代配药清单(&amp;P)…</translation>
    </message>
    <message>
        <source>Choose an institution: the refill list is made per home and round.</source>
        <translation>请选择机构：代配药清单按机构和巡诊日生成。</translation>
    </message>
    <message>
        <source>Making the refill list…</source>
        <translation>正在生成代配药清单…</translation>
    </message>
    <message>
        <source>Long-term medications that run out on or before the next round ({next}).</source>
        <translation>下次巡诊（{next}）前用完的长期用药。</translation>
    </message>
    <message>
        <source>{count} to refill, {ran_out} already ran out</source>
        <translation>需代配 {count} 项，其中已断药 {ran_out} 项</translation>
    </message>
    <message>
        <source>Preparing the refill list…</source>
        <translation>正在生成代配药清单…</translation>
    </message>
    <message>
        <source>Proxy refill list</source>
        <translation>代配药清单</translation>
    </message>
</context>
<context>
    <name>ReportCharts</name>
    <message>
        <source>Weekly rounds per home</source>
        <translation>各机构每周巡诊</translation>
    </message>
    <message>
        <source>Colour mix at each month end</source>
        <translation>各月末分类构成</translation>
    </message>
    <message>
        <source>BP and glucose control by quarter</source>
        <translation>各季度血压、血糖控制率</translation>
    </message>
    <message>
        <source>Residents overdue at the end of each week</source>
        <translation>每周末逾期未访人数</translation>
    </message>
    <message>
        <source>Drawing the charts…</source>
        <translation>正在绘制图表…</translation>
    </message>
    <message>
        <source>Week of %1: %2 held of %3 agreed, %4 cancelled</source>
        <translation>%1 这一周：协议 %3 次，已巡诊 %2 次，取消 %4 次</translation>
    </message>
    <message>
        <source>✓ held as agreed   ✗ missed   ⊘ missed, a round cancelled   (rounds held / agreed that week)</source>
        <translation>✓ 按协议巡诊　✗ 未达标　⊘ 未达标（有取消）　（当周已巡诊 / 协议次数）</translation>
    </message>
    <message>
        <source>○ not confirmed</source>
        <translation>○ 未确认</translation>
    </message>
    <message>
        <source>Residents</source>
        <translation>人数</translation>
    </message>
    <message>
        <source>BP controlled %</source>
        <translation>血压控制率 %</translation>
    </message>
    <message>
        <source>Glucose controlled %</source>
        <translation>血糖控制率 %</translation>
    </message>
    <message>
        <source>Overdue residents</source>
        <translation>逾期未访人数</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>Reports</source>
        <translation>统计报表</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>季度</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年</translation>
    </message>
    <message>
        <source>From … to</source>
        <translation>起止日期</translation>
    </message>
    <message>
        <source>All institutions</source>
        <translation>全部机构</translation>
    </message>
    <message>
        <source>&amp;Compute</source>
        <translation>统计(&amp;C)</translation>
    </message>
    <message>
        <source>Compute the figures of the period (F5)</source>
        <translation>统计所选期间的数据（F5）</translation>
    </message>
    <message>
        <source>Export E&amp;xcel</source>
        <translation>导出 Excel(&amp;X)</translation>
    </message>
    <message>
        <source>Export &amp;PDF</source>
        <translation>导出 PDF(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>统计期(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>机构(&amp;I)：</translation>
    </message>
    <message>
        <source>Double-click a figure to see the residents, rounds or weeks behind it.</source>
        <translation>双击数字，查看它所统计的居民、巡诊或周。</translation>
    </message>
    <message>
        <source>Figures</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Computing the figures of %1…</source>
        <translation>正在统计 %1 的数据…</translation>
    </message>
    <message>
        <source>Computing the figures…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>Indicator</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Previous (%1)</source>
        <translation>上期（%1）</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>增减</translation>
    </message>
    <message>
        <source>Double-click to see the list behind this figure</source>
        <translation>双击查看该数字对应的名单</translation>
    </message>
    <message>
        <source>%1 — %2 to %3; compared with %4. Weeks count once they have ended (report day %5).</source>
        <translation>%1　%2 至 %3，与 %4 比较。周达标只计已结束的周（制表日 %5）。</translation>
    </message>
    <message>
        <source>%1 — %2 to %3, in progress: counted to date (%5); compared with %4. Weeks count once they have ended.</source>
        <translation>%1　%2 至 %3，统计期未结束：截至 %5；对比上期 %4。周次在该周结束后才计入。</translation>
    </message>
    <message>
        <source>the center</source>
        <translation>全中心</translation>
    </message>
    <message>
        <source>%1 — %2: %3 lines</source>
        <translation>%1 — %2：共 %3 条</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Bed, sex, born</source>
        <translation>床位、性别、出生日期</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Week of</source>
        <translation>周（周一）</translation>
    </message>
    <message>
        <source>Held / agreed</source>
        <translation>已巡诊 / 协议次数</translation>
    </message>
    <message>
        <source>Listing…</source>
        <translation>正在列出…</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>Save the return</source>
        <translation>保存报表</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>已写入 %1</translation>
    </message>
    <message>
        <source>Writing the return…</source>
        <translation>正在写入报表…</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
</context>
<context>
    <name>ResidentFinderDialog</name>
    <message>
        <source>Find a resident</source>
        <translation>查找居民</translation>
    </message>
    <message>
        <source>Any resident, also one not due at this round (an unplanned visit).</source>
        <translation>可查找任何居民，包括本次巡诊名单以外的居民（计划外巡诊）。</translation>
    </message>
    <message>
        <source>Name, pinyin initials, bed or last digits of the ID number</source>
        <translation>姓名、拼音首字母、床位或身份证后几位</translation>
    </message>
    <message>
        <source>&amp;Search:</source>
        <translation>搜索(&amp;S)：</translation>
    </message>
    <message>
        <source>Record a visit</source>
        <translation>记录巡诊</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>The first {count} residents; type more to narrow.</source>
        <translation>仅显示前 {count} 位居民，请输入更多内容缩小范围。</translation>
    </message>
    <message numerus="yes">
        <source>%n resident(s)</source>
        <translation>
            <numerusform>共 %n 人</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ResidentHeader</name>
    <message>
        <source>{age} years</source>
        <translation>{age} 岁</translation>
    </message>
    <message>
        <source>hypertension</source>
        <translation>高血压</translation>
    </message>
    <message>
        <source>diabetes</source>
        <translation>糖尿病</translation>
    </message>
    <message>
        <source>follow-up for {conditions}</source>
        <translation>慢病随访：{conditions}</translation>
    </message>
    <message>
        <source>Visit outside a round</source>
        <translation>巡诊外记录</translation>
    </message>
    <message>
        <source>Due: {reasons}</source>
        <translation>需巡诊：{reasons}</translation>
    </message>
    <message>
        <source>Last visit {date}: {outcome}</source>
        <translation>上次巡诊 {date}：{outcome}</translation>
    </message>
    <message>
        <source>{disease}: {value}</source>
        <translation>{disease}：{value}</translation>
    </message>
</context>
<context>
    <name>ResidentRecordDialog</name>
    <message>
        <source>&amp;Add resident</source>
        <translation>添加居民(&amp;A)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Read-only: the database file may not be written, so nothing here can be saved.</source>
        <translation>只读：数据库文件不可写入，这里的任何修改都无法保存。</translation>
    </message>
    <message>
        <source>You can record assessments (Assessments tab) and visits. Identity, residence, signing, conditions, medications and flags are changed by doctors and assistants.</source>
        <translation>您可以记录评估（“评估”页）和巡诊；身份信息、居住、签约、慢性病、用药与过敏和标记由医生和助理修改。</translation>
    </message>
    <message>
        <source>Read-only for your role: the record is changed by doctors and assistants.</source>
        <translation>您的角色只能查看：档案由医生和助理修改。</translation>
    </message>
    <message>
        <source>Assessments are recorded by doctors and nurses.</source>
        <translation>评估由医生和护士记录。</translation>
    </message>
    <message>
        <source>New resident</source>
        <translation>新增居民</translation>
    </message>
    <message>
        <source>Fill in the identity and residence tabs, then press “Add resident”.</source>
        <translation>请填写“身份信息”和“居住”两页，然后点击“添加居民”。</translation>
    </message>
    <message>
        <source>Health record — {name}</source>
        <translation>健康档案 — {name}</translation>
    </message>
    <message>
        <source>{age} years</source>
        <translation>{age} 岁</translation>
    </message>
    <message>
        <source>family bed</source>
        <translation>家庭病床</translation>
    </message>
    <message>
        <source>hospice</source>
        <translation>安宁疗护</translation>
    </message>
    <message>
        <source>Last changed by {who}
{when}</source>
        <translation>最后修改：{who}
{when}</translation>
    </message>
    <message>
        <source>Last changed
{when}</source>
        <translation>最后修改
{when}</translation>
    </message>
    <message>
        <source>&amp;Identity</source>
        <translation>身份信息(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Residence</source>
        <translation>居住(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Signing</source>
        <translation>签约(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Conditions</source>
        <translation>慢性病(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Medications &amp;&amp; allergies</source>
        <translation>用药与过敏(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Flags</source>
        <translation>标记(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Assessments</source>
        <translation>评估(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Visits</source>
        <translation>巡诊记录(&amp;V)</translation>
    </message>
</context>
<context>
    <name>ResidentRecordLists</name>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove “{what}” from the record? Use this for entries made in error.</source>
        <translation>从档案中删除“{what}”？仅用于删除录入错误的条目。</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
</context>
<context>
    <name>ResidentTableModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>床位</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
</context>
<context>
    <name>ResidentsPage</name>
    <message>
        <source>Residents</source>
        <translation>居民名单</translation>
    </message>
    <message>
        <source>Name, pinyin initials, bed or last digits of the ID number</source>
        <translation>姓名、拼音首字母、床位或身份证后几位</translation>
    </message>
    <message>
        <source>Search as you type (Ctrl+F)</source>
        <translation>输入即搜索（Ctrl+F）</translation>
    </message>
    <message>
        <source>Sea&amp;rch:</source>
        <translation>搜索(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>机构(&amp;I)：</translation>
    </message>
    <message>
        <source>&amp;Colour:</source>
        <translation>分类(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;New resident…</source>
        <translation>新增居民(&amp;N)…</translation>
    </message>
    <message>
        <source>I&amp;mport roster…</source>
        <translation>导入花名册(&amp;M)…</translation>
    </message>
    <message>
        <source>All colours</source>
        <translation>全部分类</translation>
    </message>
    <message>
        <source>1 resident</source>
        <translation>共 1 人</translation>
    </message>
    <message>
        <source>{count} residents</source>
        <translation>共 {count} 人</translation>
    </message>
    <message>
        <source>residents</source>
        <translation>居民名单</translation>
    </message>
</context>
<context>
    <name>ReviewModel</name>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>床位</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>— not confirmed yet</source>
        <translation>— 尚未确认</translation>
    </message>
</context>
<context>
    <name>RosterDonePage</name>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Imported {n} resident(s) into {institution}.</source>
        <translation>已将 {n} 名居民导入“{institution}”。</translation>
    </message>
    <message>
        <source>{n} row(s) were left out: correct them in the file and import it again (rows already imported will be reported as already in the center).</source>
        <translation>有 {n} 行未导入：请在文件中改正后重新导入（已导入的行届时会提示“中心已有此人”）。</translation>
    </message>
</context>
<context>
    <name>RosterFilePage</name>
    <message>
        <source>Roster file and institution</source>
        <translation>名单文件和机构</translation>
    </message>
    <message>
        <source>Nothing is written until you confirm on the next page.</source>
        <translation>在下一页确认之前，不会写入任何数据。</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>An Excel workbook (.xlsx, first sheet) or a CSV file in UTF-8 or GBK. The first row names the columns (a title row above it is fine), in Chinese or English, in any order: 姓名 / name and 身份证号 / ID number are required; 性别, 出生日期, 楼栋, 房间, 床位, 入住日期, 联系电话, 医保号, 监护人, 监护人电话 and their usual synonyms are read too. Other columns are ignored and named in the preview.</source>
        <translation>支持 Excel 工作簿（.xlsx，读取第一个工作表）或 UTF-8、GBK 编码的 CSV 文件。第一行为列名（上方可以有一行标题），中英文均可，顺序不限：必须有“姓名”和“身份证号”；“性别”“出生日期”“楼栋”“房间”“床位”“入住日期”“联系电话”“医保号”“监护人”“监护人电话”及其常见同义写法也会读取。其他列将被忽略，并在预览中列出。</translation>
    </message>
    <message>
        <source>Roster &amp;file:</source>
        <translation>名单文件(&amp;F)：</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>机构(&amp;I)：</translation>
    </message>
    <message>
        <source>Choose a roster</source>
        <translation>选择名单文件</translation>
    </message>
    <message>
        <source>Rosters (*.xlsx *.csv);;All files (*)</source>
        <translation>名单文件 (*.xlsx *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Reading the roster…</source>
        <translation>正在读取名单…</translation>
    </message>
</context>
<context>
    <name>RosterImportWizard</name>
    <message>
        <source>Import a roster</source>
        <translation>导入居民名单</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>下一步(&amp;N) &gt;</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; 上一步(&amp;B)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>&amp;Finish</source>
        <translation>完成(&amp;F)</translation>
    </message>
</context>
<context>
    <name>RosterPreviewPage</name>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Show only rows with &amp;problems</source>
        <translation>只显示有问题的行(&amp;P)</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号</translation>
    </message>
    <message>
        <source>Bed</source>
        <translation>床位</translation>
    </message>
    <message>
        <source>Admission</source>
        <translation>入住日期</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>✓ will be imported</source>
        <translation>✓ 将导入</translation>
    </message>
    <message>
        <source>{field}: {reason}</source>
        <translation>{field}：{reason}</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>{rows} data rows in the file for {institution}: {valid} can be imported, {rejected} have problems and will be left out.</source>
        <translation>文件共有 {rows} 行数据，导入到“{institution}”：{valid} 行可以导入，{rejected} 行有问题，将不导入。</translation>
    </message>
    <message>
        <source>Header in row {row}; file read as {format}.</source>
        <translation>表头在第 {row} 行；文件格式：{format}。</translation>
    </message>
    <message>
        <source>Columns ignored: {columns}</source>
        <translation>已忽略的列：{columns}</translation>
    </message>
    <message>
        <source>&amp;Import {n} resident(s)</source>
        <translation>导入 {n} 名居民(&amp;I)</translation>
    </message>
    <message>
        <source>Nothing has been written yet.</source>
        <translation>尚未写入任何数据。</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
</context>
<context>
    <name>RoundButton</name>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>{count} seen</source>
        <translation>已访 {count} 人</translation>
    </message>
    <message>
        <source>{count} due · {symbol} {red}</source>
        <translation>应访 {count} 人 · {symbol} {red}</translation>
    </message>
    <message>
        <source>moved from {day}</source>
        <translation>由 {day} 改期</translation>
    </message>
</context>
<context>
    <name>RoundChooser</name>
    <message>
        <source>Round:</source>
        <translation>巡诊：</translation>
    </message>
    <message>
        <source>Your team's round today</source>
        <translation>本团队今日巡诊</translation>
    </message>
    <message>
        <source>No round of your team today: its next round, on {day}</source>
        <translation>本团队今日无巡诊：下一次巡诊（{day}）</translation>
    </message>
    <message>
        <source>No round of your team today or to come: its most recent round, on {day}</source>
        <translation>本团队今日及之后无巡诊：最近一次巡诊（{day}）</translation>
    </message>
    <message>
        <source>Today's round</source>
        <translation>今日巡诊</translation>
    </message>
    <message>
        <source>No round today: the most recent round, on {day}</source>
        <translation>今日无巡诊：最近一次巡诊（{day}）</translation>
    </message>
    <message>
        <source>Other teams' rounds can be chosen in the list</source>
        <translation>其他团队的巡诊可在列表中选择</translation>
    </message>
    <message>
        <source>today</source>
        <translation>今天</translation>
    </message>
</context>
<context>
    <name>RoundsPage</name>
    <message>
        <source>Rounds</source>
        <translation>巡诊安排</translation>
    </message>
    <message>
        <source>◀ &amp;Previous week</source>
        <translation>◀ 上一周(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;This week</source>
        <translation>本周(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Next week ▶</source>
        <translation>下一周(&amp;N) ▶</translation>
    </message>
    <message>
        <source>&amp;Add round…</source>
        <translation>增加巡诊(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Move…</source>
        <translation>改期(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Cancel round…</source>
        <translation>取消巡诊(&amp;C)…</translation>
    </message>
    <message>
        <source>R&amp;estore round</source>
        <translation>恢复巡诊(&amp;E)</translation>
    </message>
    <message>
        <source>Plan this cancelled round again</source>
        <translation>重新安排这次已取消的巡诊</translation>
    </message>
    <message>
        <source>P&amp;rint round sheet…</source>
        <translation>打印巡诊单(&amp;R)…</translation>
    </message>
    <message>
        <source>Record &amp;visits</source>
        <translation>录入巡诊(&amp;V)</translation>
    </message>
    <message>
        <source>Open this round on the visit page</source>
        <translation>在巡诊录入页打开本次巡诊</translation>
    </message>
    <message>
        <source>week plan</source>
        <translation>周巡诊计划</translation>
    </message>
    <message>
        <source>Save the week's rounds and the residents due at each as an Excel workbook</source>
        <translation>把本周巡诊及各次应访居民保存为 Excel 文件</translation>
    </message>
    <message>
        <source>Planning the week…</source>
        <translation>正在安排本周巡诊…</translation>
    </message>
    <message>
        <source>{week} · {monday} – {sunday}</source>
        <translation>{week} · {monday} 至 {sunday}</translation>
    </message>
    <message>
        <source>Not meeting the agreement (at least one round a week):</source>
        <translation>未达到签约要求（每周至少巡诊一次）：</translation>
    </message>
    <message numerus="yes">
        <source>{institution}: agreement ended {date} — %n round(s) booked this week without one ({count} residents); renew the agreement</source>
        <translation>
            <numerusform>{institution}：协议于 {date} 到期 — 本周仍安排了 %n 次巡诊（{count} 名在住居民），请续签协议</numerusform>
        </translation>
    </message>
    <message>
        <source>{institution}: agreement ended {date} — {count} residents not covered</source>
        <translation>{institution}：协议于 {date} 到期 — {count} 名在住居民无人巡诊</translation>
    </message>
    <message>
        <source>This round was cancelled: no residents are due at it. Restore round plans it again.</source>
        <translation>本次巡诊已取消，无应访居民。可用“恢复巡诊”重新安排。</translation>
    </message>
    <message numerus="yes">
        <source>Generated %n round(s) from the agreements.</source>
        <translation>
            <numerusform>已按协议生成 %n 次巡诊。</numerusform>
        </translation>
    </message>
    <message>
        <source>No team</source>
        <translation>未指定团队</translation>
    </message>
    <message>
        <source>No rounds this week.</source>
        <translation>本周没有巡诊安排。</translation>
    </message>
    <message>
        <source>Choose a round above.</source>
        <translation>请在上方选择一次巡诊。</translation>
    </message>
    <message>
        <source>cancelled: {reason}</source>
        <translation>已取消：{reason}</translation>
    </message>
    <message>
        <source>held; {count} seen</source>
        <translation>已巡诊，访视 {count} 人</translation>
    </message>
    <message>
        <source>{count} due: {counts}</source>
        <translation>应访 {count} 人：{counts}</translation>
    </message>
    <message>
        <source>This round was held on {day}: {count} resident(s) seen. Residents due are listed for rounds still to come; use Record visits to see who was seen and what was recorded.</source>
        <translation>本次巡诊已于 {day} 完成，访视 {count} 人。应访名单只列出尚未进行的巡诊；点击“录入巡诊”可查看访视了哪些居民及记录内容。</translation>
    </message>
    <message>
        <source>Only a doctor or an administrator can change rounds</source>
        <translation>只有医生或管理员可以调整巡诊</translation>
    </message>
    <message>
        <source>Only doctors and nurses record visits</source>
        <translation>只有医生和护士可以录入巡诊</translation>
    </message>
    <message>
        <source>Move the round at {institution}</source>
        <translation>{institution} 巡诊改期</translation>
    </message>
    <message>
        <source>Add a round</source>
        <translation>增加巡诊</translation>
    </message>
    <message>
        <source>Preparing the round sheet…</source>
        <translation>正在生成巡诊单…</translation>
    </message>
    <message>
        <source>Round sheet — {institution} {day}</source>
        <translation>巡诊单 — {institution} {day}</translation>
    </message>
</context>
<context>
    <name>SaveResult</name>
    <message>
        <source>✓ Saved the correction of {name}: version {version}.</source>
        <translation>✓ 已保存 {name} 的更正：第 {version} 版。</translation>
    </message>
    <message>
        <source>✓ Saved the visit of {name}.</source>
        <translation>✓ 已保存 {name} 的巡诊记录。</translation>
    </message>
    <message>
        <source>‼ Urgent values: act today.</source>
        <translation>‼ 有紧急指标：请当天处理。</translation>
    </message>
    <message>
        <source>Status back to: {status} (“{undone}” from this visit undone).</source>
        <translation>居住状态已恢复为：{status}（已撤销这条巡诊记录设置的“{undone}”）。</translation>
    </message>
    <message>
        <source>Status still: {status} (recorded from this visit).</source>
        <translation>居住状态仍为：{status}（由这条巡诊记录设置）。</translation>
    </message>
    <message>
        <source>Status “{status}” now dated {date} (was {old}).</source>
        <translation>居住状态“{status}”的日期已改为 {date}（原为 {old}）。</translation>
    </message>
    <message>
        <source>Status “{status}” still dated {old} (recorded from this visit).</source>
        <translation>居住状态“{status}”仍记为 {old}（由这条巡诊记录设置）。</translation>
    </message>
    <message>
        <source>Status now: {status}.</source>
        <translation>居住状态已改为：{status}。</translation>
    </message>
    <message>
        <source>Triage suggestion {before} → {after}: the doctor's review lists it.</source>
        <translation>分类建议 {before} → {after}：已列入医生的分类复核。</translation>
    </message>
    <message>
        <source>Triage suggestion {after} differs from the colour {colour}: in the doctor's review.</source>
        <translation>分类建议 {after} 与当前分类 {colour} 不同：已列入医生的分类复核。</translation>
    </message>
</context>
<context>
    <name>ServerDialog</name>
    <message>
        <source>Open a database on a server</source>
        <translation>打开服务器上的数据库</translation>
    </message>
    <message>
        <source>empty: from ~/.pgpass or the keyring</source>
        <translation>留空：使用 ~/.pgpass 或系统钥匙串中的密码</translation>
    </message>
    <message>
        <source>Keep the password in this computer's keyring</source>
        <translation>将密码保存在本机的系统钥匙串中</translation>
    </message>
    <message>
        <source>No keyring here: put the password in ~/.pgpass instead</source>
        <translation>本机没有可用的钥匙串：请将密码写入 ~/.pgpass</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>The password is never written into the settings. Ask the center's IT staff for a line in ~/.pgpass, or type it here for this session.</source>
        <translation>密码不会写入设置。请信息科在 ~/.pgpass 中为您添加一行，或在此输入（仅本次使用）。</translation>
    </message>
    <message>
        <source>The field “{field}” is empty: fill it in.</source>
        <translation>“{field}”一栏是空的，请填写。</translation>
    </message>
</context>
<context>
    <name>ServerWatch</name>
    <message>
        <source>Server not reachable, retrying — changes from other workstations are not shown</source>
        <translation>连接不上服务器，正在重试 — 暂时看不到其他工作站的改动</translation>
    </message>
    <message>
        <source>Server not reachable</source>
        <translation>连接不上服务器</translation>
    </message>
    <message>
        <source>The database server {server} does not answer (it has stopped, or the network is down). Changes made on other workstations are not shown here until it answers again; CareRounds asks every {seconds} seconds, and this message goes away by itself then. If it stays, ask the center's IT staff whether PostgreSQL is running.</source>
        <translation>数据库服务器 {server} 没有应答（服务器已停止，或网络中断）。在它重新应答之前，这里看不到其他工作站所做的改动；本程序每 {seconds} 秒重试一次，连上后此提示会自动消失。如果一直不消失，请中心信息科确认 PostgreSQL 正在运行。</translation>
    </message>
</context>
<context>
    <name>ServerWindow</name>
    <message>
        <source>Server {place}</source>
        <translation>服务器 {place}</translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation>正在连接服务器…</translation>
    </message>
    <message>
        <source>A server database is backed up with: backup --db postgresql://…</source>
        <translation>服务器数据库请用命令备份：backup --db postgresql://…</translation>
    </message>
    <message>
        <source>The daily backup of the server failed — details…</source>
        <translation>服务器每日备份失败 — 详情…</translation>
    </message>
    <message>
        <source>The daily backup of the server failed</source>
        <translation>服务器每日备份失败</translation>
    </message>
    <message>
        <source>The daily backup of the server failed: {reason}</source>
        <translation>服务器数据库的每日备份失败：{reason}</translation>
    </message>
</context>
<context>
    <name>SetupPage</name>
    <message>
        <source>Set up CareRounds</source>
        <translation>初始设置</translation>
    </message>
    <message>
        <source>This database has no center yet. Enter your community health center and the administrator who will create the other accounts.</source>
        <translation>该数据库尚未设置中心。请填写本社区卫生服务中心的信息，以及负责创建其他账号的管理员。</translation>
    </message>
    <message>
        <source>e.g. Kangning Street Community Health Center</source>
        <translation>如：康宁街道社区卫生服务中心</translation>
    </message>
    <message>
        <source>2–20 letters or digits</source>
        <translation>2–20 位字母或数字</translation>
    </message>
    <message>
        <source>letters, digits, . _ -</source>
        <translation>字母、数字、. _ -</translation>
    </message>
    <message>
        <source>at least 8 characters</source>
        <translation>至少 8 个字符</translation>
    </message>
    <message>
        <source>Center &amp;name:</source>
        <translation>中心名称(&amp;N)：</translation>
    </message>
    <message>
        <source>Center &amp;code:</source>
        <translation>机构代码(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;District:</source>
        <translation>所在区(&amp;D)：</translation>
    </message>
    <message>
        <source>Administrator's na&amp;me:</source>
        <translation>管理员姓名(&amp;M)：</translation>
    </message>
    <message>
        <source>Administrator's &amp;login:</source>
        <translation>管理员用户名(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>&amp;Repeat password:</source>
        <translation>确认密码(&amp;R)：</translation>
    </message>
    <message>
        <source>First administrator</source>
        <translation>首位管理员</translation>
    </message>
    <message>
        <source>Create the center</source>
        <translation>创建中心</translation>
    </message>
    <message>
        <source>Or join a center that already uses CareRounds</source>
        <translation>或者：加入已在使用医养巡诊的中心</translation>
    </message>
    <message>
        <source>For a laptop or a second computer: on the center's workstation, Sync → Add a device writes a join package protected by a passphrase. This computer then becomes a full copy of the center and everyone signs in with their usual login.</source>
        <translation>适用于笔记本或第二台电脑：在中心工作站的“数据同步 → 添加设备”中生成用口令保护的加入文件。本机随后成为该中心的完整副本，大家用平时的账号登录。</translation>
    </message>
    <message>
        <source>&amp;Join a center from a join package…</source>
        <translation>用加入文件加入中心(&amp;J)…</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>Joining a center…</source>
        <translation>正在加入中心…</translation>
    </message>
    <message>
        <source>Creating the center…</source>
        <translation>正在创建中心…</translation>
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
        <translation>床位</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Recorded</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Not due at this round: an unplanned visit</source>
        <translation>不在本次巡诊名单中：计划外巡诊</translation>
    </message>
    <message>
        <source>unsaved</source>
        <translation>未保存</translation>
    </message>
    <message>
        <source>v{version}</source>
        <translation>第{version}版</translation>
    </message>
</context>
<context>
    <name>SheetPanel</name>
    <message>
        <source>✓ recorded, values normal · ▲ an abnormal value · ‼ urgent · ✎ not saved yet · ☆ unplanned</source>
        <translation>✓ 已记录，数值正常 · ▲ 有异常值 · ‼ 危急值 · ✎ 尚未保存 · ☆ 计划外</translation>
    </message>
    <message>
        <source>{done} of {total} recorded</source>
        <translation>已记录 {done}/{total}</translation>
    </message>
</context>
<context>
    <name>SignInPanel</name>
    <message>
        <source>CareRounds</source>
        <translation>医养巡诊</translation>
    </message>
    <message>
        <source>Your login</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation>用户名(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Every administrator password lost? Use the recovery key…</source>
        <translation>所有管理员密码都遗失了？使用恢复密钥…</translation>
    </message>
    <message>
        <source>Locked after {minutes} min without use, to protect residents' data. Sign in again.</source>
        <translation>已连续 {minutes} 分钟无操作，为保护居民信息已自动锁定。请重新登录。</translation>
    </message>
    <message>
        <source>Enter your login.</source>
        <translation>请输入用户名。</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <source>The password of {login} was reset. Sign in with it.</source>
        <translation>{login} 的密码已重设，请用新密码登录。</translation>
    </message>
</context>
<context>
    <name>StaffDialog</name>
    <message>
        <source>Edit account</source>
        <translation>编辑账号</translation>
    </message>
    <message>
        <source>Add an account</source>
        <translation>添加账号</translation>
    </message>
    <message>
        <source>letters, digits, . _ -</source>
        <translation>字母、数字、. _ -</translation>
    </message>
    <message>
        <source>(no team)</source>
        <translation>（无团队）</translation>
    </message>
    <message>
        <source>other registered practice sites, if any</source>
        <translation>其他注册执业地点（如有）</translation>
    </message>
    <message>
        <source>at least 8 characters, not the login</source>
        <translation>至少 8 个字符，不能与用户名相同</translation>
    </message>
    <message>
        <source>&amp;Must choose their own password at the first sign-in</source>
        <translation>首次登录时须改为本人密码(&amp;M)</translation>
    </message>
    <message>
        <source>You know this first password; they replace it with one only they know.</source>
        <translation>初始密码您也知道；勾选后，对方首次登录时须换成只有本人知道的密码。</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>姓名(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation>用户名(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>角色(&amp;R)：</translation>
    </message>
    <message>
        <source>&amp;Team:</source>
        <translation>团队(&amp;T)：</translation>
    </message>
    <message>
        <source>P&amp;hone:</source>
        <translation>电话(&amp;H)：</translation>
    </message>
    <message>
        <source>Practice &amp;sites:</source>
        <translation>多点执业(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>R&amp;epeat password:</source>
        <translation>确认密码(&amp;E)：</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>A login cannot be changed; the audit trail refers to it.</source>
        <translation>用户名不能修改，审计日志以它为准。</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>StaffTableModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>团队</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Locked after five failed sign-ins on this computer</source>
        <translation>在本机连续 5 次登录失败后已锁定</translation>
    </message>
    <message>
        <source>An administrator set the password; they choose their own at the next sign-in</source>
        <translation>密码由管理员设置，本人下次登录时须改为自己的密码</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>Locked until {time}</source>
        <translation>锁定至 {time}</translation>
    </message>
    <message>
        <source>Active, must change password</source>
        <translation>启用，待改为本人密码</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>%n visit(s)</source>
        <translation>%n 条巡诊记录</translation>
    </message>
    <message>
        <source>%n resident(s)</source>
        <translation>%n 位居民</translation>
    </message>
    <message>
        <source>%n condition(s)</source>
        <translation>%n 条慢病记录</translation>
    </message>
    <message>
        <source>%n medication(s)</source>
        <translation>%n 条用药记录</translation>
    </message>
    <message>
        <source>%n assessment(s)</source>
        <translation>%n 次评估</translation>
    </message>
    <message>
        <source>%n triage decision(s)</source>
        <translation>%n 条分类记录</translation>
    </message>
    <message>
        <source>%n round(s)</source>
        <translation>%n 次巡诊安排</translation>
    </message>
    <message>
        <source>%n referral(s)</source>
        <translation>%n 条转诊记录</translation>
    </message>
    <message>
        <source>%n other record(s)</source>
        <translation>%n 条其他记录</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>数据同步</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Read the sync state again (F5)</source>
        <translation>重新读取同步状态（F5）</translation>
    </message>
    <message>
        <source>&amp;Export to folder or USB stick…</source>
        <translation>导出到文件夹或U盘(&amp;E)…</translation>
    </message>
    <message>
        <source>Write a sync file with the changes the other devices do not have</source>
        <translation>把其他设备尚未收到的改动写入同步文件</translation>
    </message>
    <message>
        <source>E&amp;verything (full export)</source>
        <translation>全部数据（全量导出）(&amp;V)</translation>
    </message>
    <message>
        <source>Carry every record, not only the changes; for a device that lost files</source>
        <translation>导出全部记录而不只是改动；用于丢失过同步文件的设备</translation>
    </message>
    <message>
        <source>&amp;Import a sync file…</source>
        <translation>导入同步文件(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Add a device…</source>
        <translation>添加设备(&amp;A)…</translation>
    </message>
    <message>
        <source>Write a join package for a new laptop, protected by a passphrase</source>
        <translation>为新笔记本生成加入文件，用口令保护</translation>
    </message>
    <message>
        <source>Review &amp;conflicts</source>
        <translation>查看冲突(&amp;C)</translation>
    </message>
    <message>
        <source>History</source>
        <translation>同步记录</translation>
    </message>
    <message>
        <source>Not yet exported</source>
        <translation>尚未导出</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>修改时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Sync state</source>
        <translation>同步状态</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last file imported from it</source>
        <translation>最近一次导入其文件</translation>
    </message>
    <message>
        <source>Device id</source>
        <translation>设备编号</translation>
    </message>
    <message>
        <source>Visit</source>
        <translation>巡诊记录</translation>
    </message>
    <message>
        <source>Resident</source>
        <translation>居民</translation>
    </message>
    <message>
        <source>This device: {name} (id {id}) · {center}</source>
        <translation>本设备：{name}（编号 {id}）· {center}</translation>
    </message>
    <message>
        <source>unnamed</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Not yet exported: {parts}</source>
        <translation>尚未导出：{parts}</translation>
    </message>
    <message>
        <source>Every change on this device has been exported.</source>
        <translation>本设备的改动均已导出。</translation>
    </message>
    <message>
        <source>Last export: {export}    Last import: {imported}    Open conflicts: {conflicts}</source>
        <translation>最近导出：{export}    最近导入：{imported}    待处理冲突：{conflicts}</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>syncs with this device</source>
        <translation>与本设备同步</translation>
    </message>
    <message>
        <source>invited, not joined yet</source>
        <translation>已邀请，尚未加入</translation>
    </message>
    <message>
        <source>known through other devices</source>
        <translation>经其他设备得知</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Join package</source>
        <translation>加入文件</translation>
    </message>
    <message>
        <source>Joined the center</source>
        <translation>加入中心</translation>
    </message>
    <message>
        <source>new {new} · updated {updated} · conflicts {conflicts} · duplicates {duplicates}</source>
        <translation>新增 {new} · 更新 {updated} · 冲突 {conflicts} · 疑似重复 {duplicates}</translation>
    </message>
    <message>
        <source>{n} records</source>
        <translation>{n} 条记录</translation>
    </message>
    <message>
        <source>full</source>
        <translation>全量</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Export to folder or USB stick</source>
        <translation>导出到文件夹或U盘</translation>
    </message>
    <message>
        <source>Import a sync file</source>
        <translation>导入同步文件</translation>
    </message>
    <message>
        <source>Save the join package</source>
        <translation>保存加入文件</translation>
    </message>
    <message>
        <source>Writing and checking the sync file…</source>
        <translation>正在写入并校验同步文件…</translation>
    </message>
    <message>
        <source>Written and checked: {file} ({n} records). It is safe to unplug the USB stick.</source>
        <translation>已写入并校验：{file}（{n} 条记录）。现在可以拔出U盘。</translation>
    </message>
    <message>
        <source>Checking and importing the sync file…</source>
        <translation>正在校验并导入同步文件…</translation>
    </message>
    <message>
        <source>This file was imported before; nothing changed.</source>
        <translation>该文件此前已导入过，数据未改变。</translation>
    </message>
    <message>
        <source>Imported the file from {device}: {new} new, {updated} updated, {conflicts} conflicts, {duplicates} possible duplicate residents.</source>
        <translation>已导入来自 {device} 的文件：新增 {new}，更新 {updated}，冲突 {conflicts}，疑似重复居民 {duplicates}。</translation>
    </message>
    <message>
        <source>{n} records refer to records this device has not received yet; they come again with the sender's next file.</source>
        <translation>{n} 条记录引用了本设备尚未收到的记录，暂未导入；对方下次导出的文件会再带上。</translation>
    </message>
    <message>
        <source>Not imported: {reason}</source>
        <translation>未导入：{reason}</translation>
    </message>
    <message>
        <source>Writing the join package…</source>
        <translation>正在生成加入文件…</translation>
    </message>
    <message>
        <source>Join package written and checked: {file}, valid until {until}. Tell the passphrase to the person setting up the new device separately; never write it on the USB stick.</source>
        <translation>加入文件已写入并校验：{file}，有效期至 {until}。请另行把口令告诉设置新设备的人，切勿写在U盘上。</translation>
    </message>
    <message>
        <source>The new device's database is encrypted. Its recovery key (shown only this once: write it down and keep it apart from the device): {key}</source>
        <translation>新设备的数据库已加密。它的恢复密钥（只显示这一次，请抄下并与设备分开保管）：{key}</translation>
    </message>
</context>
<context>
    <name>TriageHistoryPanel</name>
    <message>
        <source>Colour history</source>
        <translation>分类历史</translation>
    </message>
    <message>
        <source>No resident chosen</source>
        <translation>未选择居民</translation>
    </message>
    <message>
        <source>Choose a resident in the list to see the reasons and the history.</source>
        <translation>在列表中选择居民，查看分类依据和历史。</translation>
    </message>
    <message>
        <source>Confirmed colour:</source>
        <translation>已确认分类：</translation>
    </message>
    <message>
        <source>Not in residence: not triaged.</source>
        <translation>不在住，不做分类。</translation>
    </message>
    <message>
        <source>Suggested by the rules:</source>
        <translation>规则建议：</translation>
    </message>
</context>
<context>
    <name>TriagePage</name>
    <message>
        <source>Triage review</source>
        <translation>分类审核</translation>
    </message>
    <message>
        <source>&amp;Institution:</source>
        <translation>机构(&amp;I)：</translation>
    </message>
    <message>
        <source>Re&amp;compute</source>
        <translation>重新计算(&amp;C)</translation>
    </message>
    <message>
        <source>Apply the rules to every resident again (F5)</source>
        <translation>对所有居民重新应用分类规则（F5）</translation>
    </message>
    <message>
        <source>C&amp;onfirm suggestion</source>
        <translation>确认建议(&amp;O)</translation>
    </message>
    <message>
        <source>Set &amp;another colour…</source>
        <translation>设定其他分类(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Print triage list…</source>
        <translation>打印分类名单(&amp;P)…</translation>
    </message>
    <message>
        <source>The list for the home's staff: choose an institution first</source>
        <translation>供机构工作人员使用的名单：请先选择机构</translation>
    </message>
    <message>
        <source>Ctrl+A selects all; Ctrl+click or Shift+click selects several</source>
        <translation>Ctrl+A 全选；按住 Ctrl 或 Shift 点击可选多人</translation>
    </message>
    <message>
        <source>triage list</source>
        <translation>分类名单</translation>
    </message>
    <message>
        <source>Applying the triage rules…</source>
        <translation>正在应用分类规则…</translation>
    </message>
    <message>
        <source>You can see the suggestions and their reasons; only a doctor or an administrator can confirm or change a colour.</source>
        <translation>您可以查看分类建议及其依据；只有医生或管理员可以确认或修改分类。</translation>
    </message>
    <message>
        <source>{count} to review</source>
        <translation>待审核 {count} 人</translation>
    </message>
    <message>
        <source>C&amp;onfirm {count} suggestions</source>
        <translation>确认这 {count} 人的建议(&amp;O)</translation>
    </message>
    <message>
        <source>Set &amp;another colour for {count}…</source>
        <translation>为这 {count} 人设定其他分类(&amp;A)…</translation>
    </message>
    <message>
        <source>Only a doctor or an administrator can confirm colours</source>
        <translation>只有医生或管理员可以确认分类</translation>
    </message>
    <message>
        <source>Colours updated for {count} resident(s).</source>
        <translation>已更新 {count} 位居民的分类。</translation>
    </message>
    <message>
        <source>Not changed: {lines}</source>
        <translation>未修改：{lines}</translation>
    </message>
    <message>
        <source>Preparing the triage list…</source>
        <translation>正在生成分类名单…</translation>
    </message>
    <message>
        <source>Triage list — {name}</source>
        <translation>分类名单 — {name}</translation>
    </message>
</context>
<context>
    <name>TriageRulesEditor</name>
    <message>
        <source>Triage rules</source>
        <translation>分类规则</translation>
    </message>
    <message>
        <source>The rules suggest a colour; a doctor confirms it. Changes apply to the next suggestions and plans.</source>
        <translation>规则只给出分类建议，由医生确认。修改后对之后的建议和巡诊安排生效。</translation>
    </message>
    <message>
        <source>The default values are this product's defaults, not an official standard: the national specification (国家基本公共卫生服务规范) sets the clinical criteria, such as the BP target and the urgent readings, but not these colours or intervals. Adapt them to your center.</source>
        <translation>默认值是本软件的默认设置，并非官方标准：国家基本公共卫生服务规范规定的是临床标准（如血压控制目标、需紧急处理的测量值），而不是这些颜色分类和随访间隔。请按本中心情况调整。</translation>
    </message>
    <message>
        <source>Read-only: your role may look at the rules but not change them. A doctor or an administrator can change them.</source>
        <translation>只读：您的角色可以查看分类规则，但不能修改。医生或管理员可以修改。</translation>
    </message>
    <message>
        <source>● Red — key</source>
        <translation>● 红 — 重点人群</translation>
    </message>
    <message>
        <source>▲ Yellow — secondary</source>
        <translation>▲ 黄 — 次重点人群</translation>
    </message>
    <message>
        <source>Visit intervals</source>
        <translation>随访间隔</translation>
    </message>
    <message>
        <source>&amp;Save rules</source>
        <translation>保存规则(&amp;S)</translation>
    </message>
    <message>
        <source>Restore &amp;defaults</source>
        <translation>恢复默认(&amp;D)</translation>
    </message>
    <message>
        <source>Default: {value}</source>
        <translation>默认值：{value}</translation>
    </message>
    <message>
        <source>applies</source>
        <translation>适用</translation>
    </message>
    <message>
        <source>{minimum} to {maximum}. {default}</source>
        <translation>{minimum} 至 {maximum}。{default}</translation>
    </message>
    <message>
        <source>Rules saved for this center.</source>
        <translation>本中心已保存的规则。</translation>
    </message>
    <message>
        <source>Built-in default rules.</source>
        <translation>内置默认规则。</translation>
    </message>
    <message>
        <source>Saved. New suggestions and plans use these rules.</source>
        <translation>已保存。之后的分类建议和巡诊安排将使用这些规则。</translation>
    </message>
</context>
<context>
    <name>UrgentBanner</name>
    <message>
        <source>Add a referral</source>
        <translation>填写转诊</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>Accounts</source>
        <translation>账号管理</translation>
    </message>
    <message>
        <source>&amp;Add account…</source>
        <translation>添加账号(&amp;A)…</translation>
    </message>
    <message>
        <source>Add an account (Insert)</source>
        <translation>添加账号（Insert）</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>编辑(&amp;E)…</translation>
    </message>
    <message>
        <source>Reset &amp;password…</source>
        <translation>重置密码(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>停用(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>解除锁定(&amp;U)</translation>
    </message>
    <message>
        <source>Lift the five-minute lock after failed sign-ins</source>
        <translation>解除登录失败后的 5 分钟锁定</translation>
    </message>
    <message>
        <source>New &amp;team…</source>
        <translation>新建团队(&amp;T)…</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>Appl&amp;y</source>
        <translation>应用(&amp;Y)</translation>
    </message>
    <message>
        <source>&amp;Lock the screen after this long without use:</source>
        <translation>无操作多长时间后锁定屏幕(&amp;L)：</translation>
    </message>
    <message>
        <source>Applies to every computer of the center after the next sync. A locked screen hides all data until someone signs in again.</source>
        <translation>下次同步后对本中心所有电脑生效。锁定后屏幕隐藏全部数据，直到有人重新登录。</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>安全</translation>
    </message>
    <message>
        <source>Only an administrator can see and manage accounts.</source>
        <translation>只有管理员可以查看和管理账号。</translation>
    </message>
    <message>
        <source>{count} accounts</source>
        <translation>共 {count} 个账号</translation>
    </message>
    <message>
        <source>En&amp;able</source>
        <translation>启用(&amp;A)</translation>
    </message>
    <message>
        <source>Disable account</source>
        <translation>停用账号</translation>
    </message>
    <message>
        <source>Disable the account of {name} ({login})? They can no longer sign in; everything they recorded stays.</source>
        <translation>停用{name}（{login}）的账号吗？停用后无法登录，其已录入的内容全部保留。</translation>
    </message>
    <message>
        <source>New team</source>
        <translation>新建团队</translation>
    </message>
    <message>
        <source>Name of the family-doctor team:</source>
        <translation>家庭医生团队名称：</translation>
    </message>
</context>
<context>
    <name>VisitDayRow</name>
    <message>
        <source>Why it is entered only now</source>
        <translation>为什么现在才录入</translation>
    </message>
    <message>
        <source>&amp;Late entry, reason:</source>
        <translation>补录原因(&amp;L)：</translation>
    </message>
    <message>
        <source>&amp;Outcome:</source>
        <translation>巡诊结果(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Visit date:</source>
        <translation>巡诊日期(&amp;V)：</translation>
    </message>
    <message>
        <source>later than today</source>
        <translation>晚于今天</translation>
    </message>
    <message>
        <source>Typed from the paper round sheet</source>
        <translation>根据纸质巡诊单补录</translation>
    </message>
</context>
<context>
    <name>VisitDialog</name>
    <message>
        <source>Visit</source>
        <translation>巡诊记录</translation>
    </message>
    <message>
        <source>Save (Ctrl+Enter)</source>
        <translation>保存（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>VisitEditor</name>
    <message>
        <source>Save and &amp;next (Ctrl+Enter)</source>
        <translation>保存并下一位(&amp;N)（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Round of {date} at {institution}</source>
        <translation>{date} {institution} 巡诊</translation>
    </message>
    <message>
        <source>{name} lives at {institution}, not at this round's institution: the visit is recorded outside a round.</source>
        <translation>{name} 住在{institution}，不属于本次巡诊的机构：本条记录为巡诊外记录。</translation>
    </message>
    <message>
        <source>An unsaved entry was found, but this visit was saved meanwhile: the entry is opened as a correction of the saved visit. Save it, or go to another resident to keep it as a draft.</source>
        <translation>找到一条未保存的录入，但这次巡诊已在此期间保存：该录入已作为对已保存记录的更正打开。请保存，或切换到其他居民以保留草稿。</translation>
    </message>
    <message>
        <source>Restored an unsaved entry (last typed {when}). Check it and save it.</source>
        <translation>已恢复未保存的录入（最后录入于 {when}），请核对后保存。</translation>
    </message>
    <message>
        <source>Correcting version {version}: saving makes version {next}; version {version} stays in the history.</source>
        <translation>正在更正第 {version} 版：保存后生成第 {next} 版，第 {version} 版保留在历史中。</translation>
    </message>
    <message>
        <source>Save the correction (Ctrl+Enter)</source>
        <translation>保存更正（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Saving the visit…</source>
        <translation>正在保存巡诊记录…</translation>
    </message>
    <message>
        <source>Unexpected error: {error}</source>
        <translation>意外错误：{error}</translation>
    </message>
</context>
<context>
    <name>VisitForm</name>
    <message>
        <source>What to check next time</source>
        <translation>下次巡诊需要关注的内容</translation>
    </message>
    <message>
        <source>Ne&amp;xt visit:</source>
        <translation>下次巡诊(&amp;X)：</translation>
    </message>
</context>
<context>
    <name>VisitHistoryModel</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>BP</source>
        <translation>血压</translation>
    </message>
    <message>
        <source>Pulse</source>
        <translation>脉搏</translation>
    </message>
    <message>
        <source>Temp.</source>
        <translation>体温</translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation>血氧</translation>
    </message>
    <message>
        <source>Glucose</source>
        <translation>血糖</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>体重</translation>
    </message>
    <message>
        <source>Chronic</source>
        <translation>慢病分类</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Recorded by</source>
        <translation>录入人</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>F</source>
        <translation>空腹</translation>
    </message>
    <message>
        <source>R</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>{disease}: {value}</source>
        <translation>{disease}：{value}</translation>
    </message>
    <message>
        <source>command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>○ not yet exported: only on this computer until the next sync export</source>
        <translation>○ 尚未导出：下次同步导出前只在本机</translation>
    </message>
    <message>
        <source>○ not yet exported</source>
        <translation>○ 尚未导出</translation>
    </message>
    <message>
        <source>↗ exported: in a sync package, not yet confirmed by every device</source>
        <translation>↗ 已导出：已写入同步包，尚未得到所有设备确认</translation>
    </message>
    <message>
        <source>↗ exported</source>
        <translation>↗ 已导出</translation>
    </message>
    <message>
        <source>✓ acknowledged: every known device has it</source>
        <translation>✓ 已确认：所有已知设备都已收到</translation>
    </message>
    <message>
        <source>✓ acknowledged</source>
        <translation>✓ 已确认</translation>
    </message>
    <message>
        <source>v{version}, replaced by v{newer}</source>
        <translation>第{version}版，已被第{newer}版更正</translation>
    </message>
    <message>
        <source>v{version}, corrects v{previous}</source>
        <translation>第{version}版，更正第{previous}版</translation>
    </message>
    <message>
        <source>v1</source>
        <translation>第1版</translation>
    </message>
    <message>
        <source>late entry: {reason}</source>
        <translation>补录：{reason}</translation>
    </message>
    <message>
        <source>late entry</source>
        <translation>补录</translation>
    </message>
    <message>
        <source>referral → {destination}</source>
        <translation>转诊 → {destination}</translation>
    </message>
</context>
<context>
    <name>VisitHistoryWidget</name>
    <message>
        <source>Show &amp;earlier versions of corrected visits</source>
        <translation>显示被更正记录的早期版本(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Correct this visit…</source>
        <translation>更正这条记录(&amp;C)…</translation>
    </message>
    <message>
        <source>The visits could not be loaded: {error}</source>
        <translation>无法读取巡诊记录：{error}</translation>
    </message>
    <message numerus="yes">
        <source>%n visit(s), newest first</source>
        <translation>
            <numerusform>共 %n 次巡诊，最近的在前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n corrected</source>
        <translation>
            <numerusform>%n 条有更正</numerusform>
        </translation>
    </message>
    <message>
        <source>No visits recorded yet.</source>
        <translation>尚无巡诊记录。</translation>
    </message>
    <message>
        <source>{date} — {outcome}</source>
        <translation>{date} — {outcome}</translation>
    </message>
    <message>
        <source>the command line</source>
        <translation>命令行</translation>
    </message>
    <message>
        <source>Version {version}, recorded by {who} on {when}</source>
        <translation>第 {version} 版，由{who}于 {when} 录入</translation>
    </message>
    <message>
        <source>Corrected: this version replaces {count} earlier version(s).</source>
        <translation>已更正：此版本取代了 {count} 个早期版本。</translation>
    </message>
    <message>
        <source>Replaced by version {newer}; kept for the record.</source>
        <translation>已被第 {newer} 版更正；保留备查。</translation>
    </message>
    <message>
        <source>Changed from version {previous}: {fields}</source>
        <translation>相对第 {previous} 版的改动：{fields}</translation>
    </message>
    <message>
        <source>Two corrections of the same version were made on different devices; both are kept.</source>
        <translation>同一版本在两台设备上分别被更正，两份更正均已保留。</translation>
    </message>
    <message>
        <source>Late entry: {reason}</source>
        <translation>补录：{reason}</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>慢病随访</translation>
    </message>
    <message>
        <source>Lifestyle advice</source>
        <translation>生活方式指导</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>症状体征</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>处理措施</translation>
    </message>
    <message>
        <source>Medication changes</source>
        <translation>用药调整</translation>
    </message>
    <message>
        <source>Next visit</source>
        <translation>下次巡诊</translation>
    </message>
    <message>
        <source>urgent</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>green channel</source>
        <translation>绿色通道</translation>
    </message>
    <message>
        <source>Referral</source>
        <translation>转诊</translation>
    </message>
    <message>
        <source>{disease}: {value}</source>
        <translation>{disease}：{value}</translation>
    </message>
    <message>
        <source>Adherence: {value}</source>
        <translation>服药依从性：{value}</translation>
    </message>
    <message>
        <source>Foot pulses: {value}</source>
        <translation>足背动脉搏动：{value}</translation>
    </message>
    <message>
        <source>Height {value} cm</source>
        <translation>身高 {value} cm</translation>
    </message>
</context>
<context>
    <name>VisitPage</name>
    <message>
        <source>Visits</source>
        <translation>巡诊记录</translation>
    </message>
    <message>
        <source>Find a resident… (Ctrl+F)</source>
        <translation>查找居民…（Ctrl+F）</translation>
    </message>
    <message>
        <source>No rounds today or in the last two weeks. Use Find a resident (Ctrl+F) for a visit outside a round.</source>
        <translation>今天及最近两周没有巡诊安排。巡诊外记录请用“查找居民”（Ctrl+F）。</translation>
    </message>
    <message numerus="yes">
        <source>✎ %n unsaved entry(ies)…</source>
        <translation>
            <numerusform>✎ %n 条未保存录入…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VitalsChart</name>
    <message>
        <source>Blood pressure and glucose over time</source>
        <translation>血压和血糖变化趋势</translation>
    </message>
    <message>
        <source>No blood pressure or glucose recorded yet.</source>
        <translation>尚无血压或血糖记录。</translation>
    </message>
    <message numerus="yes">
        <source>%n visit(s) from {first} to {last}</source>
        <translation>
            <numerusform>{first} 至 {last} 共 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <source>last BP {sbp}/{dbp} mmHg</source>
        <translation>最近血压 {sbp}/{dbp} mmHg</translation>
    </message>
    <message>
        <source>last glucose {value} mmol/L</source>
        <translation>最近血糖 {value} mmol/L</translation>
    </message>
    <message>
        <source>SBP (mmHg)</source>
        <translation>收缩压（mmHg）</translation>
    </message>
    <message>
        <source>DBP (mmHg)</source>
        <translation>舒张压（mmHg）</translation>
    </message>
    <message>
        <source>Glucose (mmol/L): ● fasting, ○ random</source>
        <translation>血糖（mmol/L）：● 空腹，○ 随机</translation>
    </message>
    <message>
        <source>BP {sbp}/{dbp} mmHg</source>
        <translation>血压 {sbp}/{dbp} mmHg</translation>
    </message>
    <message>
        <source>fasting</source>
        <translation>空腹</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Glucose {value} mmol/L ({kind})</source>
        <translation>血糖 {value} mmol/L（{kind}）</translation>
    </message>
</context>
<context>
    <name>VitalsSection</name>
    <message>
        <source>/min</source>
        <translation>次/分</translation>
    </message>
    <message>
        <source>Fasting</source>
        <translation>空腹</translation>
    </message>
    <message>
        <source>Measured fasting (空腹); otherwise a random glucose</source>
        <translation>勾选表示空腹血糖，否则为随机血糖</translation>
    </message>
    <message>
        <source>S&amp;BP</source>
        <translation>收缩压(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;DBP</source>
        <translation>舒张压(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Pulse</source>
        <translation>脉搏(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Temp.</source>
        <translation>体温(&amp;T)</translation>
    </message>
    <message>
        <source>SpO₂</source>
        <translation>血氧饱和度</translation>
    </message>
    <message>
        <source>&amp;Glucose</source>
        <translation>血糖(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Weight</source>
        <translation>体重(&amp;W)</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>Dashboard</source>
        <translation>工作概览</translation>
    </message>
    <message>
        <source>Residents</source>
        <translation>居民名单</translation>
    </message>
    <message>
        <source>Institutions</source>
        <translation>签约机构</translation>
    </message>
    <message>
        <source>Rounds</source>
        <translation>巡诊安排</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>巡诊记录</translation>
    </message>
    <message>
        <source>Triage review</source>
        <translation>分类审核</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期未访</translation>
    </message>
    <message>
        <source>Family beds</source>
        <translation>家庭病床</translation>
    </message>
    <message>
        <source>Proxy refills</source>
        <translation>代配药</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>统计报表</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>数据同步</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>同步冲突</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>账号管理</translation>
    </message>
    <message>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
</context>
</TS>
