// Name tables and name variants for the generator (see names.h). The tables are small
// on purpose: combinations (given names x surnames x middle names x birth dates) give the
// variety; collisions of common names are realistic and part of the resolution problem.
#include "gen/names.h"

#include <cctype>

namespace casegraph::gen {
namespace {

// One name part: Latin spelling as registered, an alternative romanisation or spelling,
// and renderings in Cyrillic, Chinese and Arabic script where we have them (nullptr if not).
struct Part {
  const char* latin;
  const char* alt;
  const char* cyr;
  const char* zh;
  const char* ar;
};

struct CultureTable {
  const Part* male;
  int n_male;
  const Part* female;
  int n_female;
  const Part* last;
  int n_last;
};

#define N nullptr
const Part kGermanMale[] = {{"Olaf", N, "Олаф", "奥拉夫", N},
                            {"Thomas", N, "Томас", "托马斯", N},
                            {"Michael", N, "Михаэль", "米夏埃尔", N},
                            {"Andreas", N, "Андреас", "安德烈亚斯", N},
                            {"Stefan", "Stephan", "Штефан", "斯特凡", N},
                            {"Jürgen", "Juergen", "Юрген", "于尔根", N},
                            {"Frank", N, "Франк", "弗兰克", N},
                            {"Klaus", N, "Клаус", "克劳斯", N},
                            {"Matthias", "Mathias", "Маттиас", "马蒂亚斯", N},
                            {"Wolfgang", N, "Вольфганг", "沃尔夫冈", N},
                            {"Markus", "Marcus", "Маркус", "马库斯", N},
                            {"Uwe", N, "Уве", "乌韦", N},
                            {"Dieter", N, "Дитер", "迪特尔", N},
                            {"Christian", N, "Кристиан", "克里斯蒂安", N}};
const Part kGermanFemale[] = {
    {"Angela", N, "Ангела", "安格拉", N},         {"Sabine", N, "Сабина", "萨比娜", N},
    {"Petra", N, "Петра", "佩特拉", N},           {"Claudia", N, "Клаудия", "克劳迪娅", N},
    {"Monika", "Monica", "Моника", "莫妮卡", N},  {"Ursula", N, "Урсула", "乌尔苏拉", N},
    {"Katrin", "Kathrin", "Катрин", "卡特琳", N}, {"Annalena", N, "Анналена", "安娜莱娜", N},
    {"Birgit", N, "Биргит", "比吉特", N},         {"Heike", N, "Хайке", "海克", N}};
const Part kGermanLast[] = {{"Scholz", N, "Шольц", "朔尔茨", N},
                            {"Müller", "Mueller", "Мюллер", "米勒", N},
                            {"Schmidt", "Schmitt", "Шмидт", "施密特", N},
                            {"Schneider", N, "Шнайдер", "施奈德", N},
                            {"Fischer", N, "Фишер", "菲舍尔", N},
                            {"Weber", N, "Вебер", "韦伯", N},
                            {"Meyer", "Meier", "Майер", "迈尔", N},
                            {"Wagner", N, "Вагнер", "瓦格纳", N},
                            {"Becker", N, "Беккер", "贝克尔", N},
                            {"Schulz", N, "Шульц", "舒尔茨", N},
                            {"Hoffmann", "Hofmann", "Хоффман", "霍夫曼", N},
                            {"Koch", N, "Кох", "科赫", N},
                            {"Richter", N, "Рихтер", "里希特", N},
                            {"Klein", N, "Кляйн", "克莱因", N},
                            {"Wolf", N, "Вольф", "沃尔夫", N},
                            {"Schröder", "Schroeder", "Шрёдер", "施罗德", N},
                            {"Neumann", N, "Нойман", "诺伊曼", N},
                            {"Baerbock", N, "Бербок", "贝尔伯克", N},
                            {"Lindner", N, "Линднер", "林德纳", N},
                            {"Zimmermann", N, "Циммерман", "齐默尔曼", N}};

const Part kEnglishMale[] = {
    {"John", "Jon", "Джон", "约翰", N},           {"David", N, "Дэвид", "大卫", N},
    {"James", N, "Джеймс", "詹姆斯", N},          {"Robert", N, "Роберт", "罗伯特", N},
    {"Michael", N, "Майкл", "迈克尔", N},         {"William", N, "Уильям", "威廉", N},
    {"Richard", N, "Ричард", "理查德", N},        {"Charles", N, "Чарльз", "查尔斯", N},
    {"Steven", "Stephen", "Стивен", "史蒂文", N}, {"Paul", N, "Пол", "保罗", N},
    {"Mark", "Marc", "Марк", "马克", N},          {"George", N, "Джордж", "乔治", N}};
const Part kEnglishFemale[] = {{"Mary", N, "Мэри", "玛丽", N},
                               {"Elizabeth", "Elisabeth", "Элизабет", "伊丽莎白", N},
                               {"Sarah", "Sara", "Сара", "萨拉", N},
                               {"Jennifer", N, "Дженнифер", "詹妮弗", N},
                               {"Emma", N, "Эмма", "艾玛", N},
                               {"Catherine", "Katherine", "Кэтрин", "凯瑟琳", N},
                               {"Margaret", N, "Маргарет", "玛格丽特", N},
                               {"Susan", N, "Сьюзан", "苏珊", N},
                               {"Linda", N, "Линда", "琳达", N},
                               {"Rachel", N, "Рэйчел", "雷切尔", N}};
const Part kEnglishLast[] = {
    {"Smith", N, "Смит", "史密斯", N},         {"Johnson", N, "Джонсон", "约翰逊", N},
    {"Williams", N, "Уильямс", "威廉姆斯", N}, {"Brown", N, "Браун", "布朗", N},
    {"Jones", N, "Джонс", "琼斯", N},          {"Taylor", N, "Тейлор", "泰勒", N},
    {"Davies", "Davis", "Дэвис", "戴维斯", N}, {"Wilson", N, "Уилсон", "威尔逊", N},
    {"Evans", N, "Эванс", "埃文斯", N},        {"Thompson", "Thomson", "Томпсон", "汤普森", N},
    {"Walker", N, "Уокер", "沃克", N},         {"Wright", N, "Райт", "赖特", N},
    {"Robinson", N, "Робинсон", "罗宾逊", N},  {"Harrison", N, "Харрисон", "哈里森", N},
    {"Clarke", "Clark", "Кларк", "克拉克", N}, {"Morgan", N, "Морган", "摩根", N},
    {"Hughes", N, "Хьюз", "休斯", N},          {"Fletcher", N, "Флетчер", "弗莱彻", N}};

const Part kRussianMale[] = {{"Aleksandr", "Alexander", "Александр", "亚历山大", N},
                             {"Sergey", "Sergei", "Сергей", "谢尔盖", N},
                             {"Dmitry", "Dmitri", "Дмитрий", "德米特里", N},
                             {"Andrey", "Andrei", "Андрей", "安德烈", N},
                             {"Aleksey", "Alexei", "Алексей", "阿列克谢", N},
                             {"Vladimir", N, "Владимир", "弗拉基米尔", N},
                             {"Yevgeny", "Evgeniy", "Евгений", "叶夫根尼", N},
                             {"Mikhail", "Michail", "Михаил", "米哈伊尔", N},
                             {"Igor", N, "Игорь", "伊戈尔", N},
                             {"Nikolay", "Nikolai", "Николай", "尼古拉", N},
                             {"Yury", "Yuri", "Юрий", "尤里", N},
                             {"Oleg", N, "Олег", "奥列格", N},
                             {"Pavel", N, "Павел", "帕维尔", N},
                             {"Arkady", "Arkadiy", "Аркадий", "阿尔卡季", N}};
const Part kRussianFemale[] = {{"Yelena", "Elena", "Елена", "叶莲娜", N},
                               {"Olga", N, "Ольга", "奥尔加", N},
                               {"Tatyana", "Tatiana", "Татьяна", "塔季扬娜", N},
                               {"Natalya", "Natalia", "Наталья", "娜塔莉娅", N},
                               {"Irina", N, "Ирина", "伊琳娜", N},
                               {"Svetlana", N, "Светлана", "斯韦特兰娜", N},
                               {"Yekaterina", "Ekaterina", "Екатерина", "叶卡捷琳娜", N},
                               {"Marina", N, "Марина", "玛丽娜", N},
                               {"Anastasiya", "Anastasia", "Анастасия", "阿纳斯塔西娅", N},
                               {"Yuliya", "Julia", "Юлия", "尤利娅", N}};
// Surnames in masculine form; feminine adds -a / -а to -ov, -ev, -in endings.
const Part kRussianLast[] = {{"Ivanov", N, "Иванов", "伊万诺夫", N},
                             {"Smirnov", N, "Смирнов", "斯米尔诺夫", N},
                             {"Kuznetsov", "Kuznetzov", "Кузнецов", "库兹涅佐夫", N},
                             {"Popov", N, "Попов", "波波夫", N},
                             {"Sokolov", N, "Соколов", "索科洛夫", N},
                             {"Lebedev", N, "Лебедев", "列别杰夫", N},
                             {"Kozlov", N, "Козлов", "科兹洛夫", N},
                             {"Novikov", N, "Новиков", "诺维科夫", N},
                             {"Morozov", N, "Морозов", "莫罗佐夫", N},
                             {"Petrov", N, "Петров", "彼得罗夫", N},
                             {"Volkov", N, "Волков", "沃尔科夫", N},
                             {"Solovyov", "Soloviev", "Соловьёв", "索洛维约夫", N},
                             {"Vasilyev", "Vasiliev", "Васильев", "瓦西里耶夫", N},
                             {"Zaytsev", "Zaitsev", "Зайцев", "扎伊采夫", N},
                             {"Pavlov", N, "Павлов", "巴甫洛夫", N},
                             {"Rotenberg", N, "Ротенберг", "罗滕贝格", N},
                             {"Fedorov", "Fyodorov", "Фёдоров", "费奥多罗夫", N},
                             {"Orlov", N, "Орлов", "奥尔洛夫", N},
                             {"Deripaskin", N, "Дерипаскин", "杰里帕斯金", N},
                             {"Abramov", N, "Абрамов", "阿布拉莫夫", N}};

// Chinese: pinyin (latin), Wade-Giles or Cantonese style (alt), Hanzi (zh).
const Part kChineseGiven[] = {
    {"Wei", N, "Вэй", "伟", N},         {"Fang", N, "Фан", "芳", N},
    {"Na", N, "На", "娜", N},           {"Min", N, "Минь", "敏", N},
    {"Jing", "Ching", "Цзин", "静", N}, {"Lei", N, "Лэй", "磊", N},
    {"Jun", "Chun", "Цзюнь", "军", N},  {"Yong", N, "Юн", "勇", N},
    {"Yan", N, "Янь", "艳", N},         {"Jie", "Chieh", "Цзе", "杰", N},
    {"Tao", N, "Тао", "涛", N},         {"Ming", N, "Мин", "明", N},
    {"Hua", N, "Хуа", "华", N},         {"Hong", N, "Хун", "红", N},
    {"Ping", N, "Пин", "平", N},        {"Xin", "Hsin", "Синь", "欣", N},
    {"Hui", N, "Хуэй", "慧", N},        {"Qiang", "Chiang", "Цян", "强", N}};
const Part kChineseLast[] = {{"Wang", N, "Ван", "王", N},
                             {"Li", "Lee", "Ли", "李", N},
                             {"Zhang", "Chang", "Чжан", "张", N},
                             {"Liu", "Lau", "Лю", "刘", N},
                             {"Chen", "Chan", "Чэнь", "陈", N},
                             {"Yang", N, "Ян", "杨", N},
                             {"Huang", "Wong", "Хуан", "黄", N},
                             {"Zhao", "Chao", "Чжао", "赵", N},
                             {"Wu", "Ng", "У", "吴", N},
                             {"Zhou", "Chow", "Чжоу", "周", N},
                             {"Xu", "Hsu", "Сюй", "徐", N},
                             {"Sun", N, "Сунь", "孙", N},
                             {"Ma", N, "Ма", "马", N},
                             {"Zhu", "Chu", "Чжу", "朱", N},
                             {"Hu", N, "Ху", "胡", N},
                             {"Guo", "Kuo", "Го", "郭", N}};

const Part kArabicMale[] = {{"Mohammed", "Muhammad", "Мухаммед", "穆罕默德", "محمد"},
                            {"Ahmed", "Ahmad", "Ахмед", "艾哈迈德", "أحمد"},
                            {"Ali", N, "Али", "阿里", "علي"},
                            {"Omar", "Umar", "Омар", "奥马尔", "عمر"},
                            {"Hassan", "Hasan", "Хасан", "哈桑", "حسن"},
                            {"Khalid", "Khaled", "Халид", "哈立德", "خالد"},
                            {"Youssef", "Yusuf", "Юсуф", "优素福", "يوسف"},
                            {"Ibrahim", N, "Ибрагим", "易卜拉欣", "إبراهيم"},
                            {"Abdullah", "Abdallah", "Абдулла", "阿卜杜拉", "عبدالله"},
                            {"Tariq", "Tarek", "Тарик", "塔里克", "طارق"}};
const Part kArabicFemale[] = {{"Fatima", "Fatma", "Фатима", "法蒂玛", "فاطمة"},
                              {"Aisha", "Aicha", "Аиша", "阿伊莎", "عائشة"},
                              {"Mariam", "Maryam", "Мариам", "玛丽亚姆", "مريم"},
                              {"Layla", "Leila", "Лейла", "莱拉", "ليلى"},
                              {"Noor", "Nour", "Нур", "努尔", "نور"},
                              {"Huda", N, "Худа", "胡达", "هدى"}};
const Part kArabicLast[] = {{"Al-Sayed", "El Sayed", "Ас-Сайед", "赛义德", "السيد"},
                            {"Haddad", N, "Хаддад", "哈达德", "حداد"},
                            {"Khoury", "Khouri", "Хури", "胡里", "خوري"},
                            {"Mansour", "Mansur", "Мансур", "曼苏尔", "منصور"},
                            {"Nasser", "Nasir", "Насер", "纳赛尔", "ناصر"},
                            {"Al-Rashid", "Alrashid", "Ар-Рашид", "拉希德", "الرشيد"},
                            {"Saleh", "Salih", "Салех", "萨利赫", "صالح"},
                            {"Hamdan", N, "Хамдан", "哈姆丹", "حمدان"},
                            {"Aziz", N, "Азиз", "阿齐兹", "عزيز"},
                            {"Qasim", "Kassem", "Касим", "卡西姆", "قاسم"}};

const Part kSpanishMale[] = {
    {"José", "Jose", N, N, N}, {"Juan", N, N, N, N},          {"Carlos", N, N, N, N},
    {"Luis", N, N, N, N},      {"Javier", "Xavier", N, N, N}, {"Miguel", N, N, N, N},
    {"Alejandro", N, N, N, N}, {"Jorge", N, N, N, N},         {"Ramón", "Ramon", N, N, N}};
const Part kSpanishFemale[] = {{"María", "Maria", N, N, N}, {"Carmen", N, N, N, N},
                               {"Ana", N, N, N, N},         {"Lucía", "Lucia", N, N, N},
                               {"Isabel", N, N, N, N},      {"Sofía", "Sofia", N, N, N}};
const Part kSpanishLast[] = {{"García", "Garcia", N, N, N},
                             {"Martínez", "Martinez", N, N, N},
                             {"López", "Lopez", N, N, N},
                             {"Sánchez", "Sanchez", N, N, N},
                             {"Pérez", "Perez", N, N, N},
                             {"Gómez", "Gomez", N, N, N},
                             {"Fernández", "Fernandez", N, N, N},
                             {"Rodríguez", "Rodriguez", N, N, N},
                             {"Díaz", "Diaz", N, N, N},
                             {"Moreno", N, N, N, N},
                             {"Romero", N, N, N, N},
                             {"Herrera", N, N, N, N},
                             {"Vargas", N, N, N, N},
                             {"Castillo", N, N, N, N}};

const Part kFrenchMale[] = {
    {"Jean", N, N, N, N},      {"Pierre", N, N, N, N},   {"François", "Francois", N, N, N},
    {"Michel", N, N, N, N},    {"Philippe", N, N, N, N}, {"Nicolas", N, N, N, N},
    {"Éric", "Eric", N, N, N}, {"Laurent", N, N, N, N}};
const Part kFrenchFemale[] = {{"Marie", N, N, N, N},         {"Nathalie", "Natalie", N, N, N},
                              {"Isabelle", N, N, N, N},      {"Sylvie", N, N, N, N},
                              {"Céline", "Celine", N, N, N}, {"Hélène", "Helene", N, N, N}};
const Part kFrenchLast[] = {
    {"Martin", N, N, N, N}, {"Bernard", N, N, N, N}, {"Dubois", N, N, N, N},
    {"Thomas", N, N, N, N}, {"Robert", N, N, N, N},  {"Richard", N, N, N, N},
    {"Petit", N, N, N, N},  {"Durand", N, N, N, N},  {"Lefèvre", "Lefevre", N, N, N},
    {"Moreau", N, N, N, N}, {"Girard", N, N, N, N},  {"Fontaine", N, N, N, N}};

const Part kTurkishMale[] = {{"Mehmet", "Mehmed", N, N, N}, {"Mustafa", N, N, N, N},
                             {"Ahmet", N, N, N, N},         {"Hüseyin", "Huseyin", N, N, N},
                             {"Emre", N, N, N, N},          {"Burak", N, N, N, N},
                             {"Çağlar", "Caglar", N, N, N}};
const Part kTurkishFemale[] = {{"Ayşe", "Ayse", N, N, N},
                               {"Fatma", N, N, N, N},
                               {"Zeynep", N, N, N, N},
                               {"Elif", N, N, N, N},
                               {"Özlem", "Ozlem", N, N, N}};
const Part kTurkishLast[] = {{"Yılmaz", "Yilmaz", N, N, N}, {"Kaya", N, N, N, N},
                             {"Demir", N, N, N, N},         {"Şahin", "Sahin", N, N, N},
                             {"Çelik", "Celik", N, N, N},   {"Yıldız", "Yildiz", N, N, N},
                             {"Öztürk", "Ozturk", N, N, N}, {"Aydın", "Aydin", N, N, N},
                             {"Arslan", N, N, N, N},        {"Doğan", "Dogan", N, N, N}};
#undef N

template <std::size_t A, std::size_t B, std::size_t C>
constexpr CultureTable Table(const Part (&m)[A], const Part (&f)[B], const Part (&l)[C]) {
  return {m, static_cast<int>(A), f, static_cast<int>(B), l, static_cast<int>(C)};
}

const CultureTable kTables[] = {
    Table(kGermanMale, kGermanFemale, kGermanLast),
    Table(kEnglishMale, kEnglishFemale, kEnglishLast),
    Table(kRussianMale, kRussianFemale, kRussianLast),
    Table(kChineseGiven, kChineseGiven, kChineseLast),
    Table(kArabicMale, kArabicFemale, kArabicLast),
    Table(kSpanishMale, kSpanishFemale, kSpanishLast),
    Table(kFrenchMale, kFrenchFemale, kFrenchLast),
    Table(kTurkishMale, kTurkishFemale, kTurkishLast),
};

const CultureTable& TableFor(Culture c) {
  return kTables[static_cast<int>(c)];
}

const Country kCountries[] = {
    {"DE", "Germany", "49", Culture::kGerman, false},
    {"AT", "Austria", "43", Culture::kGerman, false},
    {"CH", "Switzerland", "41", Culture::kGerman, false},
    {"GB", "United Kingdom", "44", Culture::kEnglish, false},
    {"US", "United States", "1", Culture::kEnglish, false},
    {"IE", "Ireland", "353", Culture::kEnglish, false},
    {"RU", "Russia", "7", Culture::kRussian, false},
    {"UA", "Ukraine", "380", Culture::kRussian, false},
    {"KZ", "Kazakhstan", "7", Culture::kRussian, false},
    {"CN", "China", "86", Culture::kChinese, false},
    {"HK", "Hong Kong", "852", Culture::kChinese, false},
    {"SG", "Singapore", "65", Culture::kChinese, false},
    {"AE", "United Arab Emirates", "971", Culture::kArabic, true},
    {"SA", "Saudi Arabia", "966", Culture::kArabic, false},
    {"LB", "Lebanon", "961", Culture::kArabic, false},
    {"ES", "Spain", "34", Culture::kSpanish, false},
    {"MX", "Mexico", "52", Culture::kSpanish, false},
    {"PA", "Panama", "507", Culture::kSpanish, true},
    {"FR", "France", "33", Culture::kFrench, false},
    {"LU", "Luxembourg", "352", Culture::kFrench, true},
    {"TR", "Turkey", "90", Culture::kTurkish, false},
    {"CY", "Cyprus", "357", Culture::kEnglish, true},
    {"MT", "Malta", "356", Culture::kEnglish, true},
    {"VG", "British Virgin Islands", "1284", Culture::kEnglish, true},
    {"KY", "Cayman Islands", "1345", Culture::kEnglish, true},
    {"SC", "Seychelles", "248", Culture::kEnglish, true},
    {"NL", "Netherlands", "31", Culture::kEnglish, false},
};
// Relative weights of kCountries for people and ordinary companies.
const int kCountryWeights[] = {18, 3, 4, 10, 10, 2, 8, 3, 2, 8, 3, 2, 3, 1,
                               1,  4, 2, 1,  5,  1, 3, 2, 1, 1, 1, 1, 3};
static_assert(sizeof(kCountryWeights) / sizeof(int) == sizeof(kCountries) / sizeof(Country));

int CountryIndex(const char* code) {
  for (int i = 0; i < CountryCount(); ++i) {
    if (std::string_view(kCountries[i].code) == code) return i;
  }
  return 0;
}

std::string Join(std::string_view a, std::string_view sep, std::string_view b) {
  std::string out;
  out.reserve(a.size() + sep.size() + b.size());
  out.append(a).append(sep).append(b);
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Feminine form of a Russian surname in Latin or Cyrillic.
std::string RussianFeminine(std::string_view last, bool cyrillic) {
  if (!cyrillic) {
    if (EndsWith(last, "ov") || EndsWith(last, "ev") || EndsWith(last, "in")) {
      return std::string(last) + "a";
    }
    return std::string(last);
  }
  if (EndsWith(last, "ов") || EndsWith(last, "ев") || EndsWith(last, "ёв") ||
      EndsWith(last, "ин")) {
    return std::string(last) + "а";
  }
  return std::string(last);
}

const Part& FirstPart(const PersonName& n, int idx) {
  const CultureTable& t = TableFor(n.culture);
  return n.female ? t.female[idx] : t.male[idx];
}

// Latin given name of a Chinese person: "Xiuying" style join of syllables.
std::string ChineseGivenLatin(const PersonName& n, bool alt) {
  const CultureTable& t = TableFor(n.culture);
  auto syl = [&](int i) {
    const Part& p = t.male[i];
    return std::string(alt && p.alt ? p.alt : p.latin);
  };
  std::string g = syl(n.first);
  if (n.first2 >= 0) g += AsciiLower(syl(n.first2));
  return g;
}

}  // namespace

int CountryCount() {
  return static_cast<int>(sizeof(kCountries) / sizeof(Country));
}
const Country& CountryAt(int i) {
  return kCountries[i];
}

int PickCountry(Rng& rng) {
  static const int kTotal = [] {
    int t = 0;
    for (int w : kCountryWeights) t += w;
    return t;
  }();
  auto r = static_cast<int>(rng.Below(static_cast<std::uint64_t>(kTotal)));
  for (int i = 0; i < CountryCount(); ++i) {
    r -= kCountryWeights[i];
    if (r < 0) return i;
  }
  return 0;
}

int PickOffshore(Rng& rng) {
  static const char* kOffshore[] = {"VG", "VG", "CY", "CY", "PA", "SC", "KY", "AE", "MT", "LU"};
  return CountryIndex(rng.Pick(kOffshore));
}

PersonName MakePersonName(Rng& rng, Culture culture, bool female) {
  PersonName n;
  n.culture = culture;
  n.female = female;
  const CultureTable& t = TableFor(culture);
  n.first = static_cast<int>(rng.Below(static_cast<std::uint64_t>(female ? t.n_female : t.n_male)));
  n.last = static_cast<int>(rng.Below(static_cast<std::uint64_t>(t.n_last)));
  if (culture == Culture::kChinese) {
    if (rng.Chance(0.6))
      n.first2 = static_cast<int>(rng.Below(static_cast<std::uint64_t>(t.n_male)));
    n.first_name = ChineseGivenLatin(n, false);
    n.last_name = t.last[n.last].latin;
    n.full = Join(n.last_name, " ", n.first_name);
    return n;
  }
  n.first_name = FirstPart(n, n.first).latin;
  n.last_name = t.last[n.last].latin;
  if (culture == Culture::kRussian && female) n.last_name = RussianFeminine(n.last_name, false);
  if ((culture == Culture::kSpanish) && rng.Chance(0.6)) {
    // Two surnames (paternal, maternal).
    n.first2 = static_cast<int>(rng.Below(static_cast<std::uint64_t>(t.n_last)));
    n.last_name = Join(n.last_name, " ", t.last[n.first2].latin);
  } else if ((culture == Culture::kEnglish || culture == Culture::kGerman) && rng.Chance(0.35)) {
    // A middle name, written out.
    n.first2 =
        static_cast<int>(rng.Below(static_cast<std::uint64_t>(female ? t.n_female : t.n_male)));
    if (n.first2 == n.first) n.first2 = -1;
    if (n.first2 >= 0) n.first_name = Join(n.first_name, " ", FirstPart(n, n.first2).latin);
  }
  n.full = Join(n.first_name, " ", n.last_name);
  return n;
}

const char* PersonVariantName(PersonVariantKind kind) {
  switch (kind) {
    case PersonVariantKind::kTypo:
      return "typo";
    case PersonVariantKind::kSwapped:
      return "swapped";
    case PersonVariantKind::kTransliterated:
      return "transliterated";
    case PersonVariantKind::kInitial:
      return "initial";
    case PersonVariantKind::kCase:
      return "case";
    case PersonVariantKind::kAltSpelling:
      return "alt_spelling";
  }
  return "?";
}

std::string PersonVariant(const PersonName& n, Rng& rng, PersonVariantKind* kind) {
  const CultureTable& t = TableFor(n.culture);
  const Part& first = n.culture == Culture::kChinese ? t.male[n.first] : FirstPart(n, n.first);
  const Part& last = t.last[n.last];
  auto r = rng.Below(100);
  // Transliteration into another script: Chinese and Russian names into their own
  // script most of the time, others into Cyrillic, Chinese or Arabic where we have it.
  if (r < 35) {
    *kind = PersonVariantKind::kTransliterated;
    if (n.culture == Culture::kChinese) {
      std::string given = first.zh;
      if (n.first2 >= 0) given += t.male[n.first2].zh;
      if (n.first2 >= 0 || rng.Chance(0.8)) return Join(last.zh, "", given);
      // Cyrillic (Palladius) for a one-syllable given name: surname first as well.
      return Join(last.cyr, " ", first.cyr);
    }
    if (n.culture == Culture::kRussian) {
      std::string l = n.female ? RussianFeminine(last.cyr, true) : std::string(last.cyr);
      if (rng.Chance(0.85)) return Join(first.cyr, " ", l);
      return Join(first.zh, "·", last.zh);
    }
    if (n.culture == Culture::kArabic && first.ar && last.ar && rng.Chance(0.5)) {
      return Join(first.ar, " ", last.ar);
    }
    if (first.cyr && last.cyr) {
      if (rng.Chance(0.5)) return Join(first.cyr, " ", last.cyr);
      return Join(first.zh, "·", last.zh);  // "奥拉夫·朔尔茨"
    }
    // No other script for this culture: fall through to an alternative spelling.
  }
  if (r < 50) {
    std::string f = first.alt ? first.alt : first.latin;
    std::string l = last.alt ? last.alt : last.latin;
    if (n.culture == Culture::kChinese) {
      f = ChineseGivenLatin(n, true);
      if (f != n.first_name || l != n.last_name) {
        *kind = PersonVariantKind::kAltSpelling;
        return Join(f, " ", l);  // Western order, other romanisation: "Wei Wang", "Chieh Chang"
      }
    } else {
      if (n.culture == Culture::kRussian && n.female) l = RussianFeminine(l, false);
      if (f != first.latin || l != last.latin) {
        *kind = PersonVariantKind::kAltSpelling;
        return Join(f, " ", l);
      }
    }
  }
  if (r < 70) {
    *kind = PersonVariantKind::kSwapped;
    if (rng.Chance(0.5))
      return Join(AsciiUpper(n.last_name), ", ", n.first_name);  // "SCHOLZ, Olaf"
    if (n.culture == Culture::kChinese) return Join(n.first_name, " ", n.last_name);
    return Join(n.last_name, " ", n.first_name);
  }
  if (r < 80 && n.culture != Culture::kChinese) {
    *kind = PersonVariantKind::kInitial;
    std::string initial(n.first_name.substr(0, 1));
    if (static_cast<unsigned char>(initial[0]) >= 0x80) initial = n.first_name.substr(0, 2);
    return Join(initial + ".", " ", n.last_name);
  }
  if (r < 88) {
    *kind = PersonVariantKind::kCase;
    return AsciiUpper(n.full);
  }
  *kind = PersonVariantKind::kTypo;
  return Typo(n.full, rng);
}

namespace {

// Company name material. Latin words for most jurisdictions; Russian and Chinese
// companies have native-script words with their Latin transliteration.
const char* kWord1[] = {"Atlas",   "Nordic",     "Alpine",  "Baltic",    "Crescent", "Delta",
                        "Everest", "Falcon",     "Global",  "Harbor",    "Horizon",  "Meridian",
                        "Orion",   "Pinnacle",   "Quantum", "Sterling",  "Summit",   "Titan",
                        "Vertex",  "Zenith",     "Aurora",  "Cobalt",    "Emerald",  "Granite",
                        "Phoenix", "Silverline", "Oakwood", "Bluewater", "Redstone", "Northgate"};
const char* kWord2[] = {"Trading",      "Holdings",      "Capital",  "Logistics",   "Consulting",
                        "Investments",  "Ventures",      "Shipping", "Resources",   "Partners",
                        "Services",     "Import Export", "Energy",   "Real Estate", "Commodities",
                        "Technologies", "Marine",        "Finance",  "Development", "Industries"};
struct Pair {
  const char* latin;
  const char* native;
};
const Pair kRuWord1[] = {{"Vostok", "Восток"}, {"Sever", "Север"},       {"Zapad", "Запад"},
                         {"Alyans", "Альянс"}, {"Neft", "Нефть"},        {"Prom", "Пром"},
                         {"Stroy", "Строй"},   {"Gazstroy", "Газстрой"}, {"Tekhno", "Техно"},
                         {"Ural", "Урал"},     {"Sibir", "Сибирь"},      {"Volga", "Волга"}};
const Pair kRuWord2[] = {{"Treyd", "Трейд"},     {"Invest", "Инвест"}, {"Servis", "Сервис"},
                         {"Kapital", "Капитал"}, {"Grupp", "Групп"},   {"Logistik", "Логистик"},
                         {"Resurs", "Ресурс"},   {"Energo", "Энерго"}, {"Finans", "Финанс"}};
const Pair kZhWord1[] = {{"Huaxin", "华信"},  {"Zhongtian", "中天"}, {"Hengda", "恒达"},
                         {"Jinlong", "金龙"}, {"Dongfang", "东方"},  {"Xinda", "信达"},
                         {"Tianhe", "天和"},  {"Hongyuan", "宏远"},  {"Changcheng", "长城"},
                         {"Haitong", "海通"}};
const Pair kZhWord2[] = {{"Trading", "贸易"},    {"Technology", "科技"}, {"Investment", "投资"},
                         {"Industrial", "实业"}, {"Logistics", "物流"},  {"Holdings", "控股"},
                         {"Energy", "能源"},     {"Shipping", "航运"}};

struct LegalForm {
  const char* code;       // country
  const char* form;       // as registered
  const char* long_form;  // spelled out / alternative spelling
};
const LegalForm kForms[] = {
    {"DE", "GmbH", "Gesellschaft mit beschränkter Haftung"},
    {"DE", "AG", "Aktiengesellschaft"},
    {"AT", "GmbH", "Ges.m.b.H."},
    {"CH", "AG", "A.G."},
    {"CH", "GmbH", "G.m.b.H."},
    {"GB", "Ltd", "Limited"},
    {"GB", "PLC", "Public Limited Company"},
    {"US", "LLC", "L.L.C."},
    {"US", "Inc.", "Incorporated"},
    {"IE", "Ltd", "Limited"},
    {"RU", "ООО", "Общество с ограниченной ответственностью"},
    {"RU", "АО", "Акционерное общество"},
    {"UA", "ТОВ", "Товариство з обмеженою відповідальністю"},
    {"KZ", "ТОО", "Товарищество с ограниченной ответственностью"},
    {"CN", "有限公司", "Co., Ltd."},
    {"HK", "Limited", "Ltd"},
    {"SG", "Pte. Ltd.", "Private Limited"},
    {"AE", "FZE", "Free Zone Establishment"},
    {"AE", "LLC", "L.L.C."},
    {"SA", "LLC", "L.L.C."},
    {"LB", "SAL", "S.A.L."},
    {"ES", "S.L.", "Sociedad Limitada"},
    {"ES", "S.A.", "Sociedad Anónima"},
    {"MX", "S.A. de C.V.", "SA de CV"},
    {"PA", "S.A.", "Sociedad Anónima"},
    {"PA", "Corp.", "Corporation"},
    {"FR", "SARL", "S.A.R.L."},
    {"FR", "S.A.", "Société Anonyme"},
    {"LU", "S.à r.l.", "SARL"},
    {"LU", "S.A.", "Société Anonyme"},
    {"TR", "A.Ş.", "Anonim Şirketi"},
    {"TR", "Ltd. Şti.", "Limited Şirketi"},
    {"CY", "Ltd", "Limited"},
    {"MT", "Ltd", "Limited"},
    {"VG", "Ltd", "Limited"},
    {"VG", "Inc.", "Incorporated"},
    {"KY", "Ltd", "Limited"},
    {"SC", "Ltd", "Limited"},
    {"NL", "B.V.", "Besloten Vennootschap"},
    {"NL", "N.V.", "Naamloze Vennootschap"},
};

const LegalForm& PickForm(Rng& rng, const char* code) {
  int matches[8];
  int n = 0;
  for (int i = 0; i < static_cast<int>(sizeof(kForms) / sizeof(LegalForm)) && n < 8; ++i) {
    if (std::string_view(kForms[i].code) == code) matches[n++] = i;
  }
  if (n == 0) return kForms[5];
  return kForms[matches[rng.Below(static_cast<std::uint64_t>(n))]];
}

const LegalForm* FindForm(const char* code, std::string_view form) {
  for (const LegalForm& f : kForms) {
    if (std::string_view(f.code) == code && form == f.form) return &f;
  }
  return nullptr;
}

template <typename T, std::size_t K>
constexpr std::uint64_t Len(const T (&)[K]) {
  return K;
}

// words encodes (w1, w2, number): number makes names unique at large scales.
struct Words {
  std::uint64_t w1, w2, number;
};
Words Decode(std::uint64_t words) {
  return {words & 0xff, (words >> 8) & 0xff, words >> 16};
}

std::string NumberSuffix(std::uint64_t number) {
  return number == 0 ? std::string() : " " + std::to_string(number);
}

}  // namespace

CompanyName MakeCompanyName(Rng& rng, int country, std::uint64_t unique) {
  CompanyName c;
  c.country = country;
  const char* code = kCountries[country].code;
  const LegalForm& form = PickForm(rng, code);
  c.legal_form = form.form;
  Culture culture = kCountries[country].culture;
  std::uint64_t w1, w2, n1, n2;
  if (culture == Culture::kRussian) {
    n1 = Len(kRuWord1);
    n2 = Len(kRuWord2);
  } else if (culture == Culture::kChinese && std::string_view(code) == "CN") {
    n1 = Len(kZhWord1);
    n2 = Len(kZhWord2);
  } else {
    n1 = Len(kWord1);
    n2 = Len(kWord2);
  }
  // `unique` spreads companies over the word combinations first, then numbers them.
  std::uint64_t u = Mix64(unique) % (n1 * n2 * 64);
  w1 = u % n1;
  w2 = (u / n1) % n2;
  std::uint64_t number = (unique / (n1 * n2)) == 0 ? 0 : (unique % 97) + 2;
  c.words = w1 | (w2 << 8) | (number << 16);
  if (culture == Culture::kRussian) {
    c.name = std::string(form.form) + " «" + kRuWord1[w1].native + kRuWord2[w2].native +
             NumberSuffix(number) + "»";
  } else if (culture == Culture::kChinese && std::string_view(code) == "CN") {
    c.name =
        std::string(kZhWord1[w1].native) + kZhWord2[w2].native + NumberSuffix(number) + form.form;
  } else {
    c.name = std::string(kWord1[w1]) + " " + kWord2[w2] + NumberSuffix(number) + " " + form.form;
  }
  return c;
}

const char* CompanyVariantName(CompanyVariantKind kind) {
  switch (kind) {
    case CompanyVariantKind::kTypo:
      return "typo";
    case CompanyVariantKind::kLegalForm:
      return "legal_form";
    case CompanyVariantKind::kCase:
      return "case";
    case CompanyVariantKind::kTransliterated:
      return "transliterated";
  }
  return "?";
}

std::string CompanyVariant(const CompanyName& c, Rng& rng, CompanyVariantKind* kind) {
  const Country& country = kCountries[c.country];
  Words w = Decode(c.words);
  const LegalForm* form = FindForm(country.code, c.legal_form);
  bool ru = country.culture == Culture::kRussian;
  bool cn = std::string_view(country.code) == "CN";
  auto r = rng.Below(100);
  if ((ru || cn) && r < 60) {
    *kind = CompanyVariantKind::kTransliterated;
    if (ru) {
      // "OOO Vostok Treyd" / "Vostok Treyd LLC"
      std::string base =
          std::string(kRuWord1[w.w1].latin) + kRuWord2[w.w2].latin + NumberSuffix(w.number);
      std::string_view f = c.legal_form;
      std::string latin_form = f == "ООО" ? "OOO" : f == "АО" ? "AO" : f == "ТОВ" ? "TOV" : "TOO";
      if (rng.Chance(0.5)) return latin_form + " " + base;
      return base + (f == "АО" ? " JSC" : " LLC");
    }
    return std::string(kZhWord1[w.w1].latin) + " " + kZhWord2[w.w2].latin + NumberSuffix(w.number) +
           " Co., Ltd.";
  }
  if (r < 60 && form != nullptr) {
    *kind = CompanyVariantKind::kLegalForm;
    std::string out = c.name;
    auto pos = out.rfind(c.legal_form);
    if (pos != std::string::npos) out.replace(pos, c.legal_form.size(), form->long_form);
    return out;
  }
  if (r < 80) {
    *kind = CompanyVariantKind::kCase;
    std::string out = AsciiUpper(c.name);
    // Registers often drop punctuation too.
    std::string clean;
    for (char ch : out) {
      if (ch != '.' && ch != ',') clean.push_back(ch);
    }
    return clean;
  }
  *kind = CompanyVariantKind::kTypo;
  return Typo(c.name, rng);
}

namespace {
const char* kStreetsDe[] = {"Hauptstraße",  "Bahnhofstraße", "Gartenweg", "Schillerstraße",
                            "Goethestraße", "Lindenallee",   "Am Markt",  "Kaiserdamm"};
const char* kStreetsEn[] = {"High Street", "Station Road", "Church Lane",   "Park Avenue",
                            "Main Street", "King Street",  "Victoria Road", "Mill Lane"};
const char* kStreetsRu[] = {"ул. Ленина",  "Тверская ул.", "ул. Пушкина",
                            "Невский пр.", "ул. Гагарина", "Садовая ул."};
const char* kStreetsZh[] = {"Nanjing Road",   "Huaihai Road",         "Jianguo Road",
                            "Zhongshan Road", "Queen's Road Central", "Orchard Road"};
const char* kStreetsAr[] = {"Sheikh Zayed Road", "King Fahd Road", "Hamra Street", "Al Wasl Road"};
const char* kStreetsEs[] = {"Calle Mayor", "Avenida de la Constitución", "Calle Real",
                            "Avenida Balboa", "Paseo de la Reforma"};
const char* kStreetsFr[] = {"Rue de la Paix", "Boulevard Royal", "Avenue de la Gare",
                            "Rue du Commerce", "Rue Victor Hugo"};
const char* kStreetsTr[] = {"İstiklal Caddesi", "Atatürk Bulvarı", "Bağdat Caddesi"};

struct CityList {
  const char* code;
  const char* cities[4];
};
const CityList kCities[] = {
    {"DE", {"Berlin", "Hamburg", "München", "Frankfurt am Main"}},
    {"AT", {"Wien", "Graz", "Salzburg", "Linz"}},
    {"CH", {"Zürich", "Genève", "Zug", "Basel"}},
    {"GB", {"London", "Manchester", "Birmingham", "Leeds"}},
    {"US", {"New York", "Miami", "Wilmington", "Los Angeles"}},
    {"IE", {"Dublin", "Cork", "Galway", "Limerick"}},
    {"RU", {"Москва", "Санкт-Петербург", "Екатеринбург", "Новосибирск"}},
    {"UA", {"Київ", "Одеса", "Харків", "Дніпро"}},
    {"KZ", {"Алматы", "Астана", "Шымкент", "Караганда"}},
    {"CN", {"Shanghai", "Beijing", "Shenzhen", "Guangzhou"}},
    {"HK", {"Hong Kong", "Kowloon", "Wan Chai", "Central"}},
    {"SG", {"Singapore", "Singapore", "Singapore", "Singapore"}},
    {"AE", {"Dubai", "Abu Dhabi", "Sharjah", "Ras Al Khaimah"}},
    {"SA", {"Riyadh", "Jeddah", "Dammam", "Mecca"}},
    {"LB", {"Beirut", "Tripoli", "Sidon", "Byblos"}},
    {"ES", {"Madrid", "Barcelona", "Marbella", "Valencia"}},
    {"MX", {"Ciudad de México", "Guadalajara", "Monterrey", "Cancún"}},
    {"PA", {"Panama City", "Colón", "David", "Panama City"}},
    {"FR", {"Paris", "Lyon", "Marseille", "Nice"}},
    {"LU", {"Luxembourg", "Esch-sur-Alzette", "Differdange", "Luxembourg"}},
    {"TR", {"İstanbul", "Ankara", "İzmir", "Antalya"}},
    {"CY", {"Limassol", "Nicosia", "Larnaca", "Paphos"}},
    {"MT", {"Valletta", "Sliema", "St. Julian's", "Birkirkara"}},
    {"VG", {"Road Town", "Road Town", "Road Town", "Road Town"}},
    {"KY", {"George Town", "George Town", "West Bay", "George Town"}},
    {"SC", {"Victoria", "Victoria", "Victoria", "Victoria"}},
    {"NL", {"Amsterdam", "Rotterdam", "Den Haag", "Utrecht"}},
};
static_assert(sizeof(kCities) / sizeof(CityList) == sizeof(kCountries) / sizeof(Country));

const char* kBanks[] = {
    "Deutsche Bank",  "Commerzbank",   "Barclays",     "HSBC",     "UBS",
    "Raiffeisen",     "BNP Paribas",   "Santander",    "Sberbank", "VTB",
    "Bank of China",  "Emirates NBD",  "Garanti BBVA", "ING",      "Bank of Cyprus",
    "FirstCaribbean", "Banco General", "Citibank",     "DBS",      "Société Générale"};
}  // namespace

std::string MakeStreet(Rng& rng, int country) {
  const Country& c = kCountries[country];
  std::string number = std::to_string(rng.Range(1, 180));
  switch (c.culture) {
    case Culture::kGerman:
      return std::string(rng.Pick(kStreetsDe)) + " " + number;
    case Culture::kRussian:
      return std::string(rng.Pick(kStreetsRu)) + ", д. " + number;
    case Culture::kChinese:
      return number + " " + rng.Pick(kStreetsZh);
    case Culture::kArabic:
      return number + " " + rng.Pick(kStreetsAr);
    case Culture::kSpanish:
      return std::string(rng.Pick(kStreetsEs)) + " " + number;
    case Culture::kFrench:
      return number + " " + rng.Pick(kStreetsFr);
    case Culture::kTurkish:
      return std::string(rng.Pick(kStreetsTr)) + " No:" + number;
    default:
      return number + " " + rng.Pick(kStreetsEn);
  }
}

std::string MakeCity(Rng& rng, int country) {
  return kCities[country].cities[rng.Below(4)];
}

const char* PickBankName(Rng& rng, int country) {
  return rng.Pick(kBanks);
}

std::string Typo(std::string_view s, Rng& rng) {
  std::string out(s);
  // Positions of ASCII letters, excluding the first character (typos rarely hit it).
  std::size_t letters[256];
  std::size_t n = 0;
  for (std::size_t i = 1; i < out.size() && n < 256; ++i) {
    if (std::isalpha(static_cast<unsigned char>(out[i]))) letters[n++] = i;
  }
  if (n == 0) return out + "s";
  std::size_t pos = letters[rng.Below(n)];
  switch (rng.Below(4)) {
    case 0:  // deletion
      out.erase(pos, 1);
      break;
    case 1:  // transposition with the next letter
      if (pos + 1 < out.size() && std::isalpha(static_cast<unsigned char>(out[pos + 1])) &&
          out[pos] != out[pos + 1]) {
        std::swap(out[pos], out[pos + 1]);
      } else {
        out.insert(pos, 1, out[pos]);
      }
      break;
    case 2: {  // substitution with a neighbouring key
      static const char* kRows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
      char c = static_cast<char>(std::tolower(static_cast<unsigned char>(out[pos])));
      char repl = 'e';
      for (const char* row : kRows) {
        std::string_view r(row);
        auto k = r.find(c);
        if (k == std::string_view::npos) continue;
        repl = k + 1 < r.size() ? r[k + 1] : r[k - 1];
      }
      if (std::isupper(static_cast<unsigned char>(out[pos]))) {
        repl = static_cast<char>(std::toupper(static_cast<unsigned char>(repl)));
      }
      out[pos] = repl;
      break;
    }
    default:  // doubled letter
      out.insert(pos, 1, out[pos]);
      break;
  }
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace casegraph::gen
