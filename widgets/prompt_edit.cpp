#include "widgets/prompt_edit.h"

#include <QComboBox>
#include <QKeyEvent>
#include <QLineEdit>
#include <QVBoxLayout>

namespace studio {

PromptEdit::PromptEdit(const QString& placeholder, QWidget* parent) : QWidget(parent) {
  auto* root = new QVBoxLayout(this);
  root->setContentsMargins(0, 0, 0, 0);
  combo_ = new QComboBox;
  combo_->setEditable(true);
  combo_->setInsertPolicy(QComboBox::NoInsert);  // the document keeps the history
  combo_->setMaxVisibleItems(20);
  combo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  combo_->setMinimumContentsLength(20);
  combo_->lineEdit()->setPlaceholderText(placeholder);
  combo_->lineEdit()->setClearButtonEnabled(true);
  root->addWidget(combo_);
  // Esc while typing leaves the field; it must not reach the window's Esc shortcut (Cancel the running generation)
  combo_->lineEdit()->installEventFilter(this);
  connect(combo_->lineEdit(), &QLineEdit::textChanged, this, [this](const QString& t) {
    if (!updating_) Q_EMIT textEdited(t);
  });
}

bool PromptEdit::eventFilter(QObject* watched, QEvent* event) {
  if (watched == combo_->lineEdit()) {
    auto* key = event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress
                    ? static_cast<QKeyEvent*>(event)
                    : nullptr;
    if (key && key->key() == Qt::Key_Escape && key->modifiers() == Qt::NoModifier) {
      if (event->type() == QEvent::ShortcutOverride) {
        event->accept();  // the line edit takes it: no shortcut fires
      } else {
        combo_->lineEdit()->clearFocus();
        return true;
      }
    }
  }
  return QWidget::eventFilter(watched, event);
}

QString PromptEdit::text() const { return combo_->currentText(); }

void PromptEdit::setText(const QString& text) {
  if (text == combo_->currentText()) return;
  updating_ = true;
  combo_->setEditText(text);
  updating_ = false;
}

void PromptEdit::setHistory(const QStringList& history) {
  updating_ = true;
  const QString current = combo_->currentText();
  combo_->clear();
  combo_->addItems(history);
  combo_->setEditText(current);
  updating_ = false;
}

QStringList PromptEdit::history() const {
  QStringList out;
  for (int i = 0; i < combo_->count(); ++i) out << combo_->itemText(i);
  return out;
}

}  // namespace studio
