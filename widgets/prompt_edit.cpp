#include "widgets/prompt_edit.h"

#include <QComboBox>
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
  connect(combo_->lineEdit(), &QLineEdit::textChanged, this, [this](const QString& t) {
    if (!updating_) Q_EMIT textEdited(t);
  });
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
