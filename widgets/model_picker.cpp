#include "widgets/model_picker.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace studio {

ModelPicker::ModelPicker(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("model_picker"));
  auto* root = new QVBoxLayout(this);
  root->setContentsMargins(0, 0, 0, 0);
  auto* row = new QHBoxLayout;
  path_ = new QLineEdit;
  path_->setObjectName(QStringLiteral("model_path"));
  path_->setPlaceholderText(tr("Model folder (ConsistI2V, diffusers layout)"));
  path_->setToolTip(tr("A ConsistI2V model folder (with model_index.json), a Hugging Face cache folder "
                       "(models--TIGER-Lab--ConsistI2V) or the hub cache root."));
  browse_ = new QPushButton(QIcon(QStringLiteral(":/icons/folder.svg")), tr("Folder…"));
  browse_->setObjectName(QStringLiteral("model_browse"));
  browse_->setToolTip(tr("Choose the model folder"));
  hf_ = new QPushButton(tr("HF cache"));
  hf_->setObjectName(QStringLiteral("model_hf_cache"));
  hf_->setToolTip(tr("Use the model from the Hugging Face cache (downloaded with huggingface-cli or Python)"));
  row->addWidget(path_, 1);
  row->addWidget(browse_);
  row->addWidget(hf_);
  root->addLayout(row);
  auto* srow = new QHBoxLayout;
  icon_ = new QLabel;
  icon_->setFixedSize(18, 18);
  status_ = new QLabel;
  status_->setObjectName(QStringLiteral("model_status"));
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  srow->addWidget(icon_, 0, Qt::AlignTop);
  srow->addWidget(status_, 1);
  root->addLayout(srow);

  connect(browse_, &QPushButton::clicked, this, &ModelPicker::browse);
  connect(hf_, &QPushButton::clicked, this, [this] {
    if (!hfDir_.isEmpty()) {
      path_->setText(QDir::toNativeSeparators(hfDir_));
      Q_EMIT pathChosen(hfDir_);
    }
  });
  connect(path_, &QLineEdit::editingFinished, this, [this] {
    if (path_->isModified()) {
      path_->setModified(false);
      Q_EMIT pathChosen(path());
    }
  });
  setStatus(State::None, tr("No model chosen yet."));
}

void ModelPicker::browse() {
  const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose the ConsistI2V model folder"), path());
  if (dir.isEmpty()) return;
  path_->setText(QDir::toNativeSeparators(dir));
  Q_EMIT pathChosen(dir);
}

void ModelPicker::setPath(const QString& path) {
  path_->setText(QDir::toNativeSeparators(path));
  path_->setModified(false);
}

QString ModelPicker::path() const { return QDir::fromNativeSeparators(path_->text().trimmed()); }

void ModelPicker::setStatus(State state, const QString& message) {
  state_ = state;
  QString icon;
  QString color;
  switch (state) {
    case State::None: icon = QStringLiteral(":/icons/model.svg"); break;
    case State::Checking:
    case State::Loading: icon = QStringLiteral(":/icons/hourglass.svg"); break;
    case State::Ready: icon = QStringLiteral(":/icons/ok.svg"); color = QStringLiteral("#2e8b57"); break;
    case State::Failed: icon = QStringLiteral(":/icons/error.svg"); color = QStringLiteral("#c0392b"); break;
  }
  icon_->setPixmap(QIcon(icon).pixmap(QSize(16, 16), devicePixelRatioF()));
  status_->setText(color.isEmpty() ? message.toHtmlEscaped()
                                   : QStringLiteral("<span style='color:%1'>%2</span>").arg(color, message.toHtmlEscaped()));
  status_->setToolTip(message);
}

QString ModelPicker::statusText() const { return status_->toolTip(); }

}  // namespace studio
