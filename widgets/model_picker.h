// Pick the model: a folder (a diffusers pipeline folder or a Hugging Face cache folder) or the default Hugging
// Face cache location, and show whether it loads (or what is wrong). The check itself is the app's job.
#pragma once
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace studio {

class ModelPicker : public QWidget {
  Q_OBJECT
public:
  enum class State { None, Checking, Loading, Ready, Failed };

  explicit ModelPicker(QWidget* parent = nullptr);

  void setPath(const QString& path);  // shows it; emits nothing
  QString path() const;
  void setStatus(State state, const QString& message);
  State state() const { return state_; }
  QString statusText() const;
  // The default Hugging Face cache folder of the model (the "HF cache" button uses it).
  void setHuggingFaceCacheDir(const QString& dir) { hfDir_ = dir; }

Q_SIGNALS:
  void pathChosen(const QString& path);

public Q_SLOTS:
  void browse();

private:
  QLineEdit* path_ = nullptr;
  QPushButton* browse_ = nullptr;
  QPushButton* hf_ = nullptr;
  QLabel* icon_ = nullptr;
  QLabel* status_ = nullptr;
  State state_ = State::None;
  QString hfDir_;
};

}  // namespace studio
