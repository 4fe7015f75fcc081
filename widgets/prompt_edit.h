// A prompt field with its history: type, or pick an earlier prompt from the drop-down.
#pragma once
#include <QStringList>
#include <QWidget>

class QComboBox;

namespace studio {

class PromptEdit : public QWidget {
  Q_OBJECT
public:
  explicit PromptEdit(const QString& placeholder, QWidget* parent = nullptr);

  QString text() const;
  void setText(const QString& text);  // emits nothing
  void setHistory(const QStringList& history);  // newest first
  QStringList history() const;
  QComboBox* comboBox() const { return combo_; }

Q_SIGNALS:
  void textEdited(const QString& text);

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  QComboBox* combo_ = nullptr;
  bool updating_ = false;
};

}  // namespace studio
