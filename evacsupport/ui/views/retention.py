"""The retention purge from the window: an administrator sees who would be erased, then confirms.

Households closed longer than the retention period (設定 → 保存期間) lose their personal data;
counts and monthly figures stay (see services/erasure.py). Nothing happens without a confirmation
that names how many households and which case numbers.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from evacsupport.errors import EvacError
from evacsupport.services.changes import Changes, Kind
from evacsupport.services.erasure import purge_candidates, purge_closed
from evacsupport.ui.context import AppContext
from evacsupport.ui.operations import write_now


def run_retention_purge(ctx: AppContext, parent: QWidget | None) -> list[str] | None:
    """Ask, list, confirm, erase; the case numbers erased, or None when nothing was done."""
    months = ctx.settings.retention_months
    if not isinstance(months, int) or isinstance(months, bool) or months <= 0:
        answer = ctx.prompter.ask_text(
            parent,
            QCoreApplication.translate("Retention", "保存期間"),
            QCoreApplication.translate(
                "Retention", "終了から何か月を過ぎた世帯を消去しますか（月数）："
            ),
            "24",
        )
        if answer is None:
            return None
        try:
            months = int(
                answer.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
            )
        except ValueError:
            months = 0
        if not 1 <= months <= 240:
            ctx.prompter.error(
                parent, QCoreApplication.translate("Retention", "月数は1〜240で入力してください")
            )
            return None
    try:
        candidates = purge_candidates(ctx.db, months)
        if not candidates:
            ctx.prompter.info(
                parent,
                QCoreApplication.translate("Retention", "保存期間"),
                QCoreApplication.translate(
                    "Retention", "終了から%1か月を過ぎた世帯はありません。"
                ).replace("%1", str(months)),
            )
            return None
        numbers = "、".join(c.case_number for c in candidates[:20])
        if len(candidates) > 20:
            numbers += QCoreApplication.translate("Retention", " ほか%1件").replace(
                "%1", str(len(candidates) - 20)
            )
        question = (
            QCoreApplication.translate(
                "Retention",
                "終了から%1か月を過ぎた%2世帯の個人情報を消去します（件数と集計は残ります）。"
                "元に戻せません。よろしいですか？\n\n%3",
            )
            .replace("%1", str(months))
            .replace("%2", str(len(candidates)))
            .replace("%3", numbers)
        )
        if not ctx.prompter.confirm(
            parent, QCoreApplication.translate("Retention", "保存期間を過ぎた世帯の消去"), question
        ):
            return None
        done = write_now(lambda: purge_closed(ctx.db, months), parent, where="retention")
    except EvacError as exc:
        ctx.prompter.error(parent, exc.message())
        return None
    ctx.bus.announce(Changes.of(Kind.HOUSEHOLD, Kind.ACTIVITY, Kind.ASSIGNMENT), parent)
    ctx.prompter.info(
        parent,
        QCoreApplication.translate("Retention", "保存期間"),
        QCoreApplication.translate("Retention", "%1世帯の個人情報を消去しました。").replace(
            "%1", str(len(done))
        ),
    )
    return done
