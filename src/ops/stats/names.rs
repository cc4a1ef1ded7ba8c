//! How papers name places: provinces shortened as bulletins write them (浙江省 → 浙江), and
//! their English names, the home counties' too.

/// `浙江省` → `浙江`, `广西壮族自治区` → `广西`, `上海市` → `上海`: how bulletins name provinces.
pub fn short_province(name: &str) -> &str {
    const SUFFIXES: &[&str] = &[
        "壮族自治区",
        "回族自治区",
        "维吾尔自治区",
        "特别行政区",
        "自治区",
        "省",
        "市",
    ];
    SUFFIXES
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .filter(|s| !s.is_empty())
        .unwrap_or(name)
}

pub fn province_en(name: &str) -> &str {
    const NAMES: &[(&str, &str)] = &[
        ("北京", "Beijing"),
        ("天津", "Tianjin"),
        ("河北", "Hebei"),
        ("山西", "Shanxi"),
        ("内蒙古", "Inner Mongolia"),
        ("辽宁", "Liaoning"),
        ("吉林", "Jilin"),
        ("黑龙江", "Heilongjiang"),
        ("上海", "Shanghai"),
        ("江苏", "Jiangsu"),
        ("浙江", "Zhejiang"),
        ("安徽", "Anhui"),
        ("福建", "Fujian"),
        ("江西", "Jiangxi"),
        ("山东", "Shandong"),
        ("河南", "Henan"),
        ("湖北", "Hubei"),
        ("湖南", "Hunan"),
        ("广东", "Guangdong"),
        ("广西", "Guangxi"),
        ("海南", "Hainan"),
        ("重庆", "Chongqing"),
        ("四川", "Sichuan"),
        ("贵州", "Guizhou"),
        ("云南", "Yunnan"),
        ("西藏", "Tibet"),
        ("陕西", "Shaanxi"),
        ("甘肃", "Gansu"),
        ("青海", "Qinghai"),
        ("宁夏", "Ningxia"),
        ("新疆", "Xinjiang"),
        ("香港", "Hong Kong"),
        ("澳门", "Macao"),
        ("台湾", "Taiwan"),
    ];
    let short = short_province(name);
    NAMES
        .iter()
        .find(|(zh, _)| *zh == short)
        .map(|(_, en)| *en)
        .unwrap_or(name)
}

pub fn county_en(name: &str) -> &str {
    const NAMES: &[(&str, &str)] = &[
        ("汉滨区", "Hanbin District"),
        ("汉阴县", "Hanyin County"),
        ("石泉县", "Shiquan County"),
        ("宁陕县", "Ningshan County"),
        ("紫阳县", "Ziyang County"),
        ("岚皋县", "Langao County"),
        ("平利县", "Pingli County"),
        ("镇坪县", "Zhenping County"),
        ("旬阳县", "Xunyang County"),
        ("白河县", "Baihe County"),
        ("旬阳市", "Xunyang City"),
    ];
    NAMES
        .iter()
        .find(|(zh, _)| *zh == name)
        .map(|(_, en)| *en)
        .unwrap_or(name)
}
