"""Why a sync or join package is refused, in words a nurse understands."""

from __future__ import annotations

from app.domain.errors import DomainError
from app.domain.i18n import register

register(
    {
        "sync.not_a_package": {
            "zh_CN": "文件 {path} 不是医养巡诊同步文件。",
            "en": "The file {path} is not a CareRounds sync file.",
        },
        "sync.truncated": {
            "zh_CN": "文件 {path} 不完整（可能未复制完或U盘被提前拔出），请重新复制或重新导出。",
            "en": "The file {path} is incomplete (perhaps the copy was interrupted); copy or export it again.",
        },
        "sync.unsafe_text": {
            "zh_CN": "文件 {path} 中 {table} 的记录 {row} 的“{field}”含有不可见的控制字符，本软件的任何录入都不会产生，"
            "可能是伪造或被篡改的文件：已拒绝导入，未做任何更改。请在发出该文件的设备上核对这条记录后重新导出。",
            "en": "In the file {path}, the field “{field}” of {table} row {row} holds an invisible control character "
            "that no input of this app produces: the file may be forged or tampered with. It was refused and nothing "
            "was changed. Check that entry on the device that wrote the file, then export again.",
        },
        "sync.damaged": {
            "zh_CN": "文件 {path} 已损坏或被修改过，已拒绝导入。请重新导出。",
            "en": "The file {path} is damaged or was changed after it was written; it was refused. Export it again.",
        },
        "sync.too_large": {
            "zh_CN": "文件 {path} 过大（{size} MB，上限 {limit} MB），已拒绝。",
            "en": "The file {path} is too large ({size} MB; the limit is {limit} MB) and was refused.",
        },
        "sync.newer_format": {
            "zh_CN": "该文件由更新版本的医养巡诊（格式 {found}）生成，本程序只能读取到格式 {known}。请先升级程序。",
            "en": "This file was written by a newer CareRounds (format {found}); this version reads up to "
            "format {known}. Please update the app first.",
        },
        "sync.newer_schema": {
            "zh_CN": "该文件来自数据结构更新的医养巡诊（结构版本 {found}），请先升级本机程序。",
            "en": "This file comes from a CareRounds with a newer database schema ({found}); update this app first.",
        },
        "sync.other_center": {
            "zh_CN": "该文件属于另一个中心（{name}），不能导入本中心的数据库。",
            "en": "This file belongs to another center ({name}) and cannot be imported here.",
        },
        "sync.wrong_passphrase": {
            "zh_CN": "口令不正确。",
            "en": "The passphrase is wrong.",
        },
        "sync.is_join_package": {
            "zh_CN": "这是新设备加入中心用的文件，请在新设备上用“加入中心”打开。",
            "en": "This is a join package for setting up a new device; open it with “Join a center”.",
        },
        "sync.is_sync_package": {
            "zh_CN": "这是日常同步文件，不是加入中心用的文件。",
            "en": "This is an everyday sync file, not a join package.",
        },
        "sync.own_package": {
            "zh_CN": "该文件是本设备自己导出的，无需导入。",
            "en": "This file was exported by this device; there is nothing to import.",
        },
        "sync.no_center": {
            "zh_CN": "本数据库尚未设置中心，请先“加入中心”。",
            "en": "This database has no center yet; join a center first.",
        },
        "sync.no_key": {
            "zh_CN": "本设备没有中心的同步密钥。请用工作站生成的加入文件重新加入中心。",
            "en": "This device has no sync key for the center; join the center again with a join package.",
        },
        "sync.verify_failed": {
            "zh_CN": "写入的文件 {path} 读回校验失败，请换一个U盘或文件夹再试。",
            "en": "The file written to {path} did not read back correctly; try another USB stick or folder.",
        },
        "sync.join_target_exists": {
            "zh_CN": "数据库 {path} 已存在。加入中心需要一个新的数据库文件。",
            "en": "The database {path} already exists; joining a center needs a new database file.",
        },
        "sync.invite_expired": {
            "zh_CN": "该加入文件已于 {date} 过期（有效期 {days} 天），请在工作站重新生成。",
            "en": "This join package expired on {date} (valid for {days} days); make a new one on the workstation.",
        },
        "sync.passphrase_required": {
            "zh_CN": "需要口令：请用 --passphrase-file 指定口令文件，或设置环境变量 CARE_SYNC_PASSPHRASE。",
            "en": "A passphrase is needed: give --passphrase-file FILE or set CARE_SYNC_PASSPHRASE.",
        },
    }
)


class PackageRefused(DomainError):
    """A package cannot be used: not ours, damaged, too new, wrong passphrase, ...; nothing was changed."""
