// The studio in Korean: the language setting and its CONSISTI2V_LANG override, the embedded catalogues, Qt's own
// Korean strings, and a main window in which no visible text (buttons, labels, group boxes, tabs, menus, actions,
// combo box items, tooltips of the main controls) is still the English source. The expected Korean strings are
// read from translations/consisti2v_ko.ts. Screenshot: build/tests/gui/screenshots/studio_korean.png.
#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QGroupBox>
#include <QHash>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextDocumentFragment>
#include <QToolBar>
#include <QTranslator>
#include <QXmlStreamReader>

#include "app/app_setup.h"
#include "app/main_window.h"
#include "app/model_download_dialog.h"
#include "app/settings.h"
#include "gui_test_util.h"
#include "widgets/export_dialog.h"

using namespace studio;

namespace {

// (context, source) -> translation of a .ts file (numerus entries: the first form).
struct Catalogue {
  QHash<QString, QString> byKey;  // context + '\x1f' + source
  QSet<QString> untranslatedIfSeen;  // English sources whose translation differs (mnemonics stripped too)

  QString tr(const char* context, const char* source) const {
    return byKey.value(QLatin1String(context) + QChar(0x1f) + QString::fromUtf8(source));
  }
};

QString stripMnemonic(QString s) {
  s.remove(QRegularExpression(QStringLiteral("\\(&[^&]\\)")));  // Korean style: 파일(&F)
  s.replace(QLatin1String("&&"), QStringLiteral("\x01"));
  s.remove(QLatin1Char('&'));
  s.replace(QStringLiteral("\x01"), QStringLiteral("&"));
  return s.trimmed();
}

Catalogue readTs(const QString& path) {
  Catalogue c;
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) qFatal("cannot open %s", qPrintable(path));
  QXmlStreamReader x(&f);
  QString context, source, translation;
  bool numerus = false;
  while (!x.atEnd()) {
    x.readNext();
    if (x.isStartElement()) {
      const auto n = x.name();
      if (n == QLatin1String("name")) {
        context = x.readElementText();
      } else if (n == QLatin1String("message")) {
        source.clear();
        translation.clear();
        numerus = x.attributes().value(QLatin1String("numerus")) == QLatin1String("yes");
      } else if (n == QLatin1String("source")) {
        source = x.readElementText();
      } else if (n == QLatin1String("translation")) {
        // numerus: the <numerusform> children (Korean has one form); the whitespace between them is dropped
        translation = x.readElementText(QXmlStreamReader::IncludeChildElements);
        if (numerus) translation = translation.trimmed();
      }
    } else if (x.isEndElement() && x.name() == QLatin1String("message")) {
      c.byKey.insert(context + QChar(0x1f) + source, translation);
      if (!translation.isEmpty() && translation != source) {
        c.untranslatedIfSeen.insert(source);
        c.untranslatedIfSeen.insert(stripMnemonic(source));
      }
    }
  }
  if (x.hasError()) qFatal("%s: %s", qPrintable(path), qPrintable(x.errorString()));
  return c;
}

const QString kKoTs = QStringLiteral(CONSISTI2V_SOURCE_DIR "/translations/consisti2v_ko.ts");

// Latin words allowed in a Korean window (technical terms, units, model and format names, key names). Every
// Latin word of a text without Hangul must be one of these.
const QSet<QString>& allowedLatin() {
  static const QSet<QString> s = [] {
    QSet<QString> w;
    for (const char* t : {"CFG", "DDIM", "DPM", "Solver", "M", "fp32", "fp16", "bf16", "D0", "GPU", "CPU", "CUDA",
                          "FrameInit", "Butterworth", "MP4", "H", "GIF", "WebP", "PNG", "JPEG", "JSON", "fps", "px",
                          "ms", "s", "Ctrl", "Return", "Enter", "Esc", "Space", "Delete", "HF", "ConsistI2V", "TIGER",
                          "Lab", "UNet", "VAE", "eta", "English", "x", "K", "UI", "FFT", "FFTs", "sha256"})
      w.insert(QString::fromLatin1(t));
    return w;
  }();
  return s;
}

bool hasHangul(const QString& s) {
  for (QChar c : s)
    if ((c.unicode() >= 0xAC00 && c.unicode() <= 0xD7A3) || (c.unicode() >= 0x3131 && c.unicode() <= 0x318E))
      return true;
  return false;
}

// Why `text` looks untranslated, or an empty string.
QString englishLeft(const Catalogue& ko, const QString& raw) {
  QString text = raw;
  if (Qt::mightBeRichText(text)) text = QTextDocumentFragment::fromHtml(text).toPlainText();
  const QString plain = stripMnemonic(text);
  if (!plain.contains(QRegularExpression(QStringLiteral("[A-Za-z]")))) return {};
  if (ko.untranslatedIfSeen.contains(raw) || ko.untranslatedIfSeen.contains(plain) ||
      ko.untranslatedIfSeen.contains(text))
    return QStringLiteral("the English source of a translated entry");
  if (hasHangul(plain)) return {};
  // No Hangul: every Latin word must be a technical term (words: letters and digits starting with a letter).
  static const QRegularExpression word(QStringLiteral("[A-Za-z][A-Za-z0-9]*"));
  for (auto it = word.globalMatch(plain); it.hasNext();) {
    const QString w = it.next().captured();
    if (!allowedLatin().contains(w) && !QRegularExpression(QStringLiteral("^K\\d+$")).match(w).hasMatch())
      return QStringLiteral("English word '%1' without any Korean (a string not wrapped in tr()?)").arg(w);
  }
  return {};
}

// Checks every text of `root` and its children (buttons with their tooltips, labels, group boxes, tabs, menus,
// combo box items, tool bars, actions); returns how many were checked and adds the English ones to `offenders`.
int walkTexts(const Catalogue& ko, QWidget* root, QStringList* offenders) {
  int checked = 0;
  auto check = [&](const QString& what, const QString& text) {
    if (text.trimmed().isEmpty()) return;
    ++checked;
    const QString why = englishLeft(ko, text);
    if (!why.isEmpty()) *offenders << QStringLiteral("%1: \"%2\" — %3").arg(what, text, why);
  };
  QList<QWidget*> widgets = root->findChildren<QWidget*>();
  widgets.prepend(root);
  for (QWidget* wd : widgets) {
    const QString id = QStringLiteral("%1 %2").arg(QLatin1String(wd->metaObject()->className()), wd->objectName());
    if (wd->isWindow()) check(id + QStringLiteral(" window title"), wd->windowTitle());
    if (auto* b = qobject_cast<QAbstractButton*>(wd)) {
      check(id + QStringLiteral(" text"), b->text());
      check(id + QStringLiteral(" tooltip"), b->toolTip());
    } else if (auto* l = qobject_cast<QLabel*>(wd)) {
      check(id + QStringLiteral(" text"), l->text());
      check(id + QStringLiteral(" tooltip"), l->toolTip());
    } else if (auto* g = qobject_cast<QGroupBox*>(wd)) {
      check(id + QStringLiteral(" title"), g->title());
    } else if (auto* t = qobject_cast<QTabWidget*>(wd)) {
      for (int i = 0; i < t->count(); ++i) {
        check(id + QStringLiteral(" tab"), t->tabText(i));
        check(id + QStringLiteral(" tab tooltip"), t->tabToolTip(i));
      }
    } else if (auto* m = qobject_cast<QMenu*>(wd)) {
      check(id + QStringLiteral(" title"), m->title());
    } else if (auto* c = qobject_cast<QComboBox*>(wd)) {
      for (int i = 0; i < c->count(); ++i) check(id + QStringLiteral(" item"), c->itemText(i));
      check(id + QStringLiteral(" tooltip"), c->toolTip());
    } else if (auto* tb = qobject_cast<QToolBar*>(wd)) {
      check(id + QStringLiteral(" title"), tb->windowTitle());
    }
  }
  for (QAction* a : root->findChildren<QAction*>()) {
    if (a->isSeparator()) continue;
    const QString id = QStringLiteral("QAction %1").arg(a->objectName());
    check(id + QStringLiteral(" text"), a->text());
    check(id + QStringLiteral(" tooltip"), a->toolTip());
    check(id + QStringLiteral(" status tip"), a->statusTip());
  }
  return checked;
}

}  // namespace

class TestI18n : public QObject {
  Q_OBJECT
  Catalogue ko_;

private Q_SLOTS:
  void initTestCase() {
    ko_ = readTs(kKoTs);
    QVERIFY2(ko_.byKey.size() > 300, qPrintable(kKoTs));
  }

  void languageSetting() {
    QTemporaryDir tmp;
    QSettings s(tmp.filePath(QStringLiteral("lang.ini")), QSettings::IniFormat);
    QCOMPARE(studio::languageSetting(s), QStringLiteral("system"));  // nothing stored yet
    setLanguageSetting(s, QStringLiteral("ko"));
    QCOMPARE(s.value(QStringLiteral("ui/language")).toString(), QStringLiteral("ko"));
    QCOMPARE(studio::languageSetting(s), QStringLiteral("ko"));
    setLanguageSetting(s, QStringLiteral("klingon"));
    QCOMPARE(studio::languageSetting(s), QStringLiteral("system"));
    s.setValue(QStringLiteral("ui/language"), QStringLiteral("EN"));
    QCOMPARE(studio::languageSetting(s), QStringLiteral("en"));

    const QByteArray saved = qgetenv("CONSISTI2V_LANG");
    qunsetenv("CONSISTI2V_LANG");
    QCOMPARE(resolveLanguage(QStringLiteral("ko")), QStringLiteral("ko"));
    QCOMPARE(resolveLanguage(QStringLiteral("en")), QStringLiteral("en"));
    const QString system = QLocale::system().language() == QLocale::Korean ? QStringLiteral("ko") : QStringLiteral("en");
    QCOMPARE(resolveLanguage(QStringLiteral("system")), system);
    qputenv("CONSISTI2V_LANG", "ko");  // the override wins over the setting
    QCOMPARE(resolveLanguage(QStringLiteral("en")), QStringLiteral("ko"));
    qputenv("CONSISTI2V_LANG", "xx");  // an unknown override is ignored
    QCOMPARE(resolveLanguage(QStringLiteral("en")), QStringLiteral("en"));
    if (saved.isNull()) qunsetenv("CONSISTI2V_LANG");
    else qputenv("CONSISTI2V_LANG", saved);
  }

  void embeddedCatalogues() {
    for (const QString& lang : uiLanguages()) {
      const QString qm = QStringLiteral(":/i18n/consisti2v_%1.qm").arg(lang);
      QVERIFY2(QFile::exists(qm), qPrintable(qm));
      QTranslator t;
      QVERIFY2(t.load(qm), qPrintable(qm));
      QVERIFY(!t.isEmpty());
    }
    // English: the plural forms come from the English catalogue.
    auto& app = static_cast<QApplication&>(*QCoreApplication::instance());
    qunsetenv("CONSISTI2V_LANG");
    QCOMPARE(installTranslations(app, QStringLiteral("en")), QStringLiteral("en"));
    QCOMPARE(QCoreApplication::translate("studio::EditHistory", "Change %n settings", nullptr, 1),
             QStringLiteral("Change 1 setting"));
    QCOMPARE(QCoreApplication::translate("studio::EditHistory", "Change %n settings", nullptr, 3),
             QStringLiteral("Change 3 settings"));
    QCOMPARE(QCoreApplication::translate("studio::MainWindow", "Generate"), QStringLiteral("Generate"));
  }

  void koreanWindow() {
    auto& app = static_cast<QApplication&>(*QCoreApplication::instance());
    qputenv("CONSISTI2V_LANG", "ko");  // as for screenshots: the override beats the "en" asked for
    QCOMPARE(installTranslations(app, QStringLiteral("en")), QStringLiteral("ko"));
    const QString generateKo = ko_.tr("studio::MainWindow", "Generate");
    QVERIFY(!generateKo.isEmpty() && generateKo != QLatin1String("Generate"));
    QCOMPARE(QCoreApplication::translate("studio::MainWindow", "Generate"), generateKo);
    QCOMPARE(QCoreApplication::translate("studio::EditHistory", "Change %n settings", nullptr, 3),
             ko_.tr("studio::EditHistory", "Change %n settings").replace(QLatin1String("%n"), QLatin1String("3")));
    // Qt's own strings (qt_ko.qm): standard buttons.
    QDialogButtonBox buttons(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    const QString cancel = buttons.button(QDialogButtonBox::Cancel)->text();
    QVERIFY2(stripMnemonic(cancel) != QLatin1String("Cancel") && hasHangul(cancel), qPrintable(cancel));

    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    MainWindow w(new StudioSettings(tmp.filePath(QStringLiteral("studio.ini"))));
    w.resize(1440, 900);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.loadFirstFrame(testing::firstFramePng()));
    QTest::qWait(200);

    // The title, the Generate button and the menus are the .ts's Korean strings.
    // "Untitled[*] — ConsistI2V Studio" in Korean (the [*] is where Qt shows the unsaved mark).
    const QString title = ko_.tr("studio::MainWindow", "%1[*] — ConsistI2V Studio")
                              .arg(ko_.tr("studio::MainWindow", "Untitled"));
    QVERIFY(!title.startsWith(QLatin1String("%1")) && hasHangul(title));
    QCOMPARE(w.windowTitle(), title);
    QVERIFY(!w.windowTitle().contains(QLatin1String("Untitled")));
    auto* generate = w.findChild<QPushButton*>(QStringLiteral("generate_button"));
    QVERIFY(generate);
    QCOMPARE(generate->text(), generateKo);
    QStringList menuTitles;
    for (QAction* a : w.menuBar()->actions()) menuTitles << a->text();
    QVERIFY2(menuTitles.contains(ko_.tr("studio::MainWindow", "&File")), qPrintable(menuTitles.join(u'|')));
    QVERIFY2(menuTitles.contains(ko_.tr("studio::MainWindow", "&Help")), qPrintable(menuTitles.join(u'|')));
    auto* language = w.findChild<QMenu*>(QStringLiteral("menu_language"));
    QVERIFY(language);
    QCOMPARE(language->title(), ko_.tr("studio::LanguageMenu", "&Language"));

    // Walk every widget and action: no text may still be English.
    QStringList offenders;
    const int checked = walkTexts(ko_, &w, &offenders);
    qInfo("%d texts checked", checked);
    QVERIFY(checked > 80);
    QVERIFY2(offenders.isEmpty(), qPrintable(QStringLiteral("\n") + offenders.join(u'\n')));

    const QImage shot = testing::grabWithVideo(&w, w.player());
    const QString path = testing::outDir(QStringLiteral("screenshots")) + QStringLiteral("/studio_korean.png");
    QVERIFY(shot.save(path));
    qInfo("screenshot %s (%dx%d)", qPrintable(path), shot.width(), shot.height());

    // Help > Language > English: saved in the window's settings, applies after a restart (a note says so).
    QAction* english = w.findChild<QAction*>(QStringLiteral("action_language_en"));
    QVERIFY(english && english->isCheckable());
    QVERIFY(w.findChild<QAction*>(QStringLiteral("action_language_system"))->isChecked());
    english->trigger();
    QCOMPARE(w.settings()->raw().value(QStringLiteral("ui/language")).toString(), QStringLiteral("en"));
    auto* note = w.findChild<QMessageBox*>(QStringLiteral("language_note"));
    QVERIFY(note);
    QCOMPARE(note->text(), ko_.tr("studio::LanguageMenu", "The new language applies the next time ConsistI2V Studio starts."));
    note->close();

    // The FrameInit tab, the export dialog and the model download dialog.
    w.viewTabs()->setCurrentIndex(1);
    QTest::qWait(200);
    QVERIFY(testing::grabWithVideo(&w, w.player()).save(testing::outDir(QStringLiteral("screenshots")) +
                                                        QStringLiteral("/studio_korean_frameinit.png")));
    ExportDialog exportDialog(&w);
    ModelDownloadDialog downloadDialog(&w);
    for (QDialog* d : std::initializer_list<QDialog*>{&exportDialog, &downloadDialog}) {
      d->show();
      QVERIFY(QTest::qWaitForWindowExposed(d));
      QTest::qWait(100);
      QStringList dialogOffenders;
      QVERIFY(walkTexts(ko_, d, &dialogOffenders) > 5);
      QVERIFY2(dialogOffenders.isEmpty(), qPrintable(QStringLiteral("\n") + dialogOffenders.join(u'\n')));
      QVERIFY(d->grab().save(testing::outDir(QStringLiteral("screenshots")) + QStringLiteral("/studio_korean_") +
                             d->objectName() + QStringLiteral(".png")));
      d->close();
    }
  }
};

CI2V_GUI_TEST_MAIN(TestI18n)
#include "tst_i18n.moc"
