//! Label selector behaviour, checked against upstream 1.33's parser and messages.

use std::collections::BTreeMap;

use serde_json::json;

use super::{LabelOperator, LabelRequirement, LabelSelector, Labels, ObjectLabels};
use crate::gofmt::go_quote;

fn parse(s: &str) -> LabelSelector {
    LabelSelector::parse(s).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
}

fn parse_err(s: &str) -> String {
    match LabelSelector::parse(s) {
        Ok(sel) => panic!("{s:?} should be rejected, parsed as {sel}"),
        Err(e) => {
            assert_eq!((e.code, e.reason), (400, "BadRequest"));
            e.message
        }
    }
}

fn set(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn matches(selector: &str, labels: &[(&str, &str)]) -> bool {
    parse(selector).matches(&set(labels))
}

const VALUE_RULES: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_RULES: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const SUBDOMAIN_RULES: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

#[test]
fn good_selectors_print_back_without_their_whitespace() {
    for s in ["x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"] {
        assert_eq!(parse(s).to_string(), s.replace(' ', ""), "{s:?}");
    }
}

#[test]
fn requirements_are_sorted_by_key_so_parsing_is_deterministic() {
    assert_eq!(parse("x=a,a=x").to_string(), "a=x,x=a");
    assert_eq!(parse("a=x,x=a").to_string(), "a=x,x=a");
    assert_eq!(parse("z,y notin (jkl),x in (def,abc)").to_string(), "x in (abc,def),y notin (jkl),z");
}

#[test]
fn the_canonical_form_keeps_each_operator_spelling() {
    assert_eq!(parse("x=abc,y==jkl,z!=a").to_string(), "x=abc,y==jkl,z!=a");
    assert_eq!(parse("x notin (abc,def),y!=jkl,!z").to_string(), "x notin (abc,def),y!=jkl,!z");
    assert_eq!(parse("x>2,y<8,z").to_string(), "x>2,y<8,z");
    assert_eq!(parse("x notin (abc),y in (mno,jkl),z notin ()").to_string(), "x notin (abc),y in (jkl,mno),z notin ()");
}

#[test]
fn whitespace_of_every_kind_separates_tokens() {
    assert_eq!(parse("\rx").to_string(), "x");
    assert_eq!(parse("foo  in\t (abc)").to_string(), "foo in (abc)");
    assert_eq!(parse("x notin\n (abc)").to_string(), "x notin (abc)");
    assert_eq!(parse("x  notin\t\t(abc,def)").to_string(), "x notin (abc,def)");
    assert_eq!(parse("  a  ").to_string(), "a");
    assert_eq!(parse(" a in ( b , c ) , d != e ").to_string(), "a in (b,c),d!=e");
}

#[test]
fn a_set_and_an_inequality_combine() {
    let sel = parse("a in (b,c),d!=e");
    assert_eq!(sel.to_string(), "a in (b,c),d!=e");
    assert_eq!(sel.requirements().len(), 2);
    assert_eq!(sel.requirements()[0].operator(), LabelOperator::In);
    assert_eq!(sel.requirements()[0].values(), ["b", "c"]);
    assert!(sel.matches(&set(&[("a", "c")])));
    assert!(!sel.matches(&set(&[("a", "c"), ("d", "e")])));
    assert!(!sel.matches(&set(&[("d", "f")])));
}

#[test]
fn empty_entries_inside_a_value_set_are_the_empty_value() {
    assert_eq!(parse("x in (abc,)").requirements()[0].values(), ["", "abc"]);
    assert_eq!(parse("x in ()").requirements()[0].values(), [""]);
    assert_eq!(parse("x notin ( )").requirements()[0].values(), [""]);
    assert_eq!(parse("x notin (, a)").requirements()[0].values(), ["", "a"]);
    assert_eq!(parse("x notin (abc,,def)").requirements()[0].values(), ["", "abc", "def"]);
    assert_eq!(parse("x notin (abc,,def),bar,z in (),w").to_string(), "bar,w,x notin (,abc,def),z in ()");
}

#[test]
fn two_commas_before_the_closing_parenthesis_are_rejected_as_in_1_33() {
    assert_eq!(parse_err("x in (,,)"), "unable to parse requirement: found ')', expected: ',', or identifier");
    assert_eq!(parse_err("x in (a,,)"), "unable to parse requirement: found ')', expected: ',', or identifier");
}

#[test]
fn in_and_notin_are_plain_words_where_a_key_or_value_is_expected() {
    assert_eq!(parse("a in (x,y,notin, z,in)").requirements()[0].values(), ["in", "notin", "x", "y", "z"]);
    assert!(matches("notin=in", &[("notin", "in")]));
    assert_eq!(parse("in in (in)").to_string(), "in in (in)");
    assert_eq!(parse("in").to_string(), "in");
}

#[test]
fn duplicate_values_in_a_set_collapse() {
    assert_eq!(parse("x in (b,a,b)").to_string(), "x in (a,b)");
}

#[test]
fn keys_may_carry_a_dns_subdomain_prefix() {
    assert_eq!(parse("this-is-a-dns.domain.com/key-with-dash").to_string(), "this-is-a-dns.domain.com/key-with-dash");
    assert_eq!(
        parse("0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)").to_string(),
        "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)"
    );
    assert_eq!(parse("kubernetes.io/service-name=web").to_string(), "kubernetes.io/service-name=web");
}

#[test]
fn the_empty_selector_is_everything() {
    let sel = parse("");
    assert!(sel.is_empty());
    assert_eq!(sel, LabelSelector::everything());
    assert!(sel.matches(&set(&[])));
    assert!(sel.matches(&set(&[("x", "y")])));
    assert_eq!(sel.to_string(), "");
    assert!(parse("   ").is_empty());
}

#[test]
fn a_nul_byte_after_whitespace_ends_the_selector_as_upstream_reads_it() {
    assert_eq!(parse("a=b \0 anything ( here").to_string(), "a=b");
    assert_eq!(parse("a=\0b").to_string(), "a=b");
}

#[test]
fn syntax_errors_name_what_was_found_and_expected() {
    let cases = [
        ("x==a==b", "found '==', expected: ',' or 'end of string'"),
        ("!x=a", "found '=', expected: ',' or 'end of string'"),
        ("x,,y", "found ',', expected: identifier after ','"),
        (",x,y", "found ',', expected: !, identifier, or 'end of string'"),
        ("a in (xyz),", "found '', expected: identifier after ','"),
        ("a in (xyz)b notin ()", "found 'b', expected: ',' or 'end of string'"),
        ("(", "found '(', expected: !, identifier, or 'end of string'"),
        ("!=a", "found '!=', expected: !, identifier, or 'end of string'"),
        ("x=a b", "found 'b', expected: ',' or 'end of string'"),
        ("x nott in (y)", "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"),
        ("a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"),
        ("a >= 1", "unable to parse requirement: found '=', expected: identifier"),
        ("a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')'"),
        ("x in (a", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("a notin(", "unable to parse requirement: found '', expected: ',', ')' or identifier"),
        ("a in (=)", "unable to parse requirement: found '=', expected: ',', ')' or identifier"),
        ("a in b", "unable to parse requirement: found 'b' expected: '('"),
        ("a in", "unable to parse requirement: found '' expected: '('"),
        ("!", "unable to parse requirement: found '', expected: identifier"),
        ("!!a", "unable to parse requirement: found '!', expected: identifier"),
        ("a=(", "unable to parse requirement: found '(', expected: identifier"),
    ];
    for (input, message) in cases {
        assert_eq!(parse_err(input), message, "{input:?}");
    }
}

#[test]
fn invalid_keys_are_reported_with_a_nil_path_like_upstream() {
    assert_eq!(
        parse_err("-a=b"),
        format!("unable to parse requirement: <nil>: Invalid value: \"-a\": name part {NAME_RULES}")
    );
    assert_eq!(
        parse_err("Example.com/a"),
        format!("unable to parse requirement: <nil>: Invalid value: \"Example.com/a\": prefix part {SUBDOMAIN_RULES}")
    );
    assert_eq!(
        parse_err("/a"),
        "unable to parse requirement: <nil>: Invalid value: \"/a\": prefix part must be non-empty"
    );
    assert_eq!(
        parse_err("a/"),
        format!("unable to parse requirement: <nil>: Invalid value: \"a/\": name part must be non-empty; name part {NAME_RULES}")
    );
    assert_eq!(
        parse_err("a/b/c"),
        format!(
            "unable to parse requirement: <nil>: Invalid value: \"a/b/c\": a qualified name {NAME_RULES} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        )
    );
    let long = "k".repeat(64);
    assert_eq!(
        parse_err(&long),
        format!("unable to parse requirement: <nil>: Invalid value: \"{long}\": name part must be no more than 63 characters")
    );
    assert!(LabelSelector::parse(&"k".repeat(63)).is_ok());
}

#[test]
fn an_overlong_prefix_reports_its_length_and_stays_valid_otherwise() {
    let prefix = "a".repeat(254);
    assert_eq!(
        parse_err(&format!("{prefix}/x")),
        format!(
            "unable to parse requirement: <nil>: Invalid value: \"{prefix}/x\": prefix part must be no more than 253 characters"
        )
    );
}

#[test]
fn invalid_values_are_reported_under_values_index_and_key() {
    assert_eq!(
        parse_err("x=a||y=b"),
        format!("unable to parse requirement: values[0][x]: Invalid value: \"a||y\": {VALUE_RULES}")
    );
    let long = "v".repeat(64);
    assert_eq!(
        parse_err(&format!("app={long}")),
        format!("unable to parse requirement: values[0][app]: Invalid value: \"{long}\": must be no more than 63 characters")
    );
    let long_bad = format!("-{}", "v".repeat(63));
    assert_eq!(
        parse_err(&format!("app={long_bad}")),
        format!(
            "unable to parse requirement: values[0][app]: Invalid value: \"{long_bad}\": must be no more than 63 characters; {VALUE_RULES}"
        )
    );
    assert_eq!(
        parse_err("x in (ok,b$,a$)"),
        format!(
            "unable to parse requirement: [values[0][x]: Invalid value: \"a$\": {VALUE_RULES}, values[1][x]: Invalid value: \"b$\": {VALUE_RULES}]"
        )
    );
}

#[test]
fn greater_and_less_than_need_integer_values() {
    assert_eq!(
        parse_err("x<a"),
        "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"
    );
    assert_eq!(
        parse_err("x>99999999999999999999"),
        "unable to parse requirement: values[0]: Invalid value: \"99999999999999999999\": for 'Gt', 'Lt' operators, the value must be an integer"
    );
    // A negative bound parses as an integer but is not a valid label value.
    assert_eq!(
        parse_err("x>-1"),
        format!("unable to parse requirement: values[0][x]: Invalid value: \"-1\": {VALUE_RULES}")
    );
    assert_eq!(
        parse_err("x>"),
        "unable to parse requirement: values[0]: Invalid value: \"\": for 'Gt', 'Lt' operators, the value must be an integer"
    );
}

#[test]
fn greater_and_less_than_compare_integer_label_values() {
    assert!(matches("x>1", &[("x", "2")]));
    assert!(matches("x<1", &[("x", "0")]));
    assert!(!matches("x>1", &[("x", "0")]));
    assert!(!matches("x<1", &[("x", "2")]));
    assert!(!matches("x>1", &[("x", "1")]));
    assert!(matches("x<1", &[("x", "-5")]));
    assert!(!matches("z>1", &[("z", "v2")]));
    assert!(!matches("x>1", &[]));
    assert!(!matches("x<1", &[]));
}

#[test]
fn equality_selectors_match_exact_values() {
    assert!(matches("", &[("x", "y")]));
    assert!(matches("x=y", &[("x", "y")]));
    assert!(matches("x==y", &[("x", "y")]));
    assert!(matches("x=y,z=w", &[("x", "y"), ("z", "w")]));
    assert!(matches("x!=y,z!=w", &[("x", "z"), ("z", "a")]));
    assert!(!matches("x=z", &[]));
    assert!(!matches("x=y", &[("x", "z")]));
    assert!(!matches("x=y,z=w", &[("x", "w"), ("z", "w")]));
    assert!(!matches("x!=y,z!=w", &[("x", "z"), ("z", "w")]));
    assert!(!matches("foo=bar,foobar=bar,baz=blah", &[("foo", "bar"), ("baz", "blah")]));
}

#[test]
fn an_empty_value_matches_only_a_present_empty_label() {
    assert!(matches("x=", &[("x", "")]));
    assert!(!matches("x=", &[]));
    assert!(!matches("x in (a,)", &[]));
    assert!(matches("x in (a,)", &[("x", "")]));
}

#[test]
fn notin_matches_objects_without_the_label() {
    assert!(matches("x notin (a)", &[]));
    assert!(matches("x notin (a)", &[("x", "b")]));
    assert!(!matches("x notin (a)", &[("x", "a")]));
    assert!(matches("x notin ()", &[("y", "")]));
    assert!(!matches("x notin ()", &[("x", "")]));
}

#[test]
fn not_equals_matches_objects_without_the_label() {
    assert!(matches("x!=a", &[]));
    assert!(!matches("x!=a", &[("x", "a")]));
}

#[test]
fn in_requires_the_label_to_be_present() {
    assert!(!matches("x in (a)", &[]));
    assert!(matches("x in (a,b)", &[("x", "b")]));
    assert!(!matches("x in (a,b)", &[("x", "c")]));
}

#[test]
fn exists_and_does_not_exist_look_only_at_presence() {
    assert!(matches("x", &[("x", "")]));
    assert!(!matches("x", &[("y", "z")]));
    assert!(matches("!x", &[("y", "z")]));
    assert!(!matches("!x", &[("x", "")]));
    assert!(matches("!x,y", &[("y", "")]));
    assert!(!matches("x notin (),!y", &[("y", "")]));
}

#[test]
fn labels_are_read_from_every_supported_map_type() {
    let sel = parse("app=web,tier notin (db)");
    let json_map = json!({"app": "web", "tier": "fe"});
    assert!(sel.matches(json_map.as_object().unwrap()));
    let hash: std::collections::HashMap<String, String> = set(&[("app", "web")]).into_iter().collect();
    assert!(sel.matches(&hash));
    let pairs: &[(&str, &str)] = &[("app", "web"), ("tier", "db")];
    assert!(!sel.matches(pairs));
    // A non-string JSON label value counts as absent.
    assert!(!sel.matches(json!({"app": 1}).as_object().unwrap()));
}

#[test]
fn a_whole_object_is_matched_by_its_metadata_labels() {
    let obj = json!({"metadata": {"name": "p", "labels": {"app": "web"}}});
    let bare = json!({"metadata": {"name": "q"}});
    let sel = parse("app=web");
    assert!(sel.matches_object(&obj));
    assert!(!sel.matches_object(&bare));
    assert!(sel.matches(&ObjectLabels(&obj)));
    assert_eq!(ObjectLabels(&obj).label("app"), Some("web"));
    assert!(parse("!app").matches_object(&bare));
    assert!(parse("").matches_object(&json!(null)));
}

#[test]
fn exact_match_is_read_from_the_first_requirement_on_the_key() {
    assert_eq!(parse("key in (value)").requires_exact_match("key"), Some("value"));
    assert_eq!(parse("key in (value,value2)").requires_exact_match("key"), None);
    assert_eq!(parse("key=value").requires_exact_match("key"), Some("value"));
    assert_eq!(parse("key==value").requires_exact_match("key"), Some("value"));
    assert_eq!(parse("key!=value").requires_exact_match("key"), None);
    assert_eq!(parse("key=v,key2 in (w)").requires_exact_match("key2"), Some("w"));
    assert_eq!(parse("other=v").requires_exact_match("key"), None);
}

#[test]
fn a_set_selector_matches_each_pair_and_prints_sorted() {
    let sel = LabelSelector::from_set([("app", "foo"), ("a", "b")]);
    assert_eq!(sel.to_string(), "a=b,app=foo");
    assert!(sel.matches(&set(&[("app", "foo"), ("a", "b"), ("x", "y")])));
    assert!(!sel.matches(&set(&[("app", "foo")])));
    assert!(LabelSelector::from_set(Vec::<(&str, &str)>::new()).is_empty());
    // Not validated: any text is taken as is.
    assert_eq!(LabelSelector::from_set([("k", "=blah")]).to_string(), "k==blah");
}

#[test]
fn a_validated_set_selector_reports_bad_values() {
    let value = "axahm2EJ8Phiephe2eixohbee9eGeiyees1thuozi1xoh0GiuH3diewi8iem7Nui";
    let err = LabelSelector::from_set_validated([("Key", value)]).unwrap_err();
    assert_eq!(err.message, format!("values[0][Key]: Invalid value: \"{value}\": must be no more than 63 characters"));
    assert_eq!(LabelSelector::from_set_validated([("key", "val")]).unwrap().to_string(), "key=val");
}

#[test]
fn a_null_label_selector_object_selects_nothing() {
    let sel = LabelSelector::from_label_selector_json(&json!(null)).unwrap();
    assert!(!sel.is_empty());
    assert!(sel.matches_nothing());
    assert!(!sel.matches(&set(&[])));
    assert!(!sel.matches_object(&json!({"metadata": {}})));
    assert_eq!(sel.to_string(), "");
}

#[test]
fn an_empty_label_selector_object_selects_everything() {
    for v in [json!({}), json!({"matchLabels": {}, "matchExpressions": []}), json!({"matchLabels": null})] {
        let sel = LabelSelector::from_label_selector_json(&v).unwrap();
        assert!(sel.is_empty(), "{v}");
        assert!(sel.matches(&set(&[("a", "b")])));
    }
}

#[test]
fn match_labels_and_match_expressions_are_anded_and_sorted_by_key() {
    let v = json!({
        "matchLabels": {"tier": "fe", "app": "web"},
        "matchExpressions": [
            {"key": "env", "operator": "In", "values": ["prod", "dev"]},
            {"key": "zone", "operator": "NotIn", "values": ["a"]},
            {"key": "canary", "operator": "DoesNotExist"},
            {"key": "team", "operator": "Exists", "values": []}
        ]
    });
    let sel = LabelSelector::from_label_selector_json(&v).unwrap();
    assert_eq!(sel.to_string(), "app=web,!canary,env in (dev,prod),team,tier=fe,zone notin (a)");
    assert!(sel.matches(&set(&[("app", "web"), ("tier", "fe"), ("env", "dev"), ("team", "x")])));
    assert!(!sel.matches(&set(&[("app", "web"), ("tier", "fe"), ("env", "qa"), ("team", "x")])));
    assert!(!sel.matches(&set(&[("app", "web"), ("tier", "fe"), ("env", "dev"), ("team", "x"), ("canary", "")])));
    // Values keep the order given; only the printed form sorts them.
    assert_eq!(sel.requirements()[2].values(), ["prod", "dev"]);
}

#[test]
fn a_label_selector_object_with_an_unknown_operator_is_rejected() {
    let v = json!({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]});
    let err = LabelSelector::from_label_selector_json(&v).unwrap_err();
    assert_eq!((err.code, err.message.as_str()), (400, "\"Gt\" is not a valid label selector operator"));
}

#[test]
fn a_label_selector_object_checks_its_value_counts() {
    let in_without_values = json!({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]});
    assert_eq!(
        LabelSelector::from_label_selector_json(&in_without_values).unwrap_err().message,
        "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty"
    );
    let exists_with_values = json!({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x", "y"]}]});
    assert_eq!(
        LabelSelector::from_label_selector_json(&exists_with_values).unwrap_err().message,
        "values: Invalid value: []string{\"x\", \"y\"}: values set must be empty for exists and does not exist"
    );
}

#[test]
fn a_label_selector_object_reports_every_problem_of_one_requirement() {
    let v = json!({"matchLabels": {"a/b/c": "-x"}});
    let message = LabelSelector::from_label_selector_json(&v).unwrap_err().message;
    assert_eq!(
        message,
        format!(
            "[key: Invalid value: \"a/b/c\": a qualified name {NAME_RULES} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName'), values[0][a/b/c]: Invalid value: \"-x\": {VALUE_RULES}]"
        )
    );
}

#[test]
fn a_malformed_label_selector_object_is_a_bad_request() {
    for v in [
        json!(3),
        json!({"matchLabels": []}),
        json!({"matchLabels": {"a": 1}}),
        json!({"matchExpressions": {}}),
        json!({"matchExpressions": [{"key": 1, "operator": "In"}]}),
        json!({"matchExpressions": [{"key": "a", "operator": "In", "values": "x"}]}),
    ] {
        let err = LabelSelector::from_label_selector_json(&v).unwrap_err();
        assert_eq!(err.code, 400, "{v}");
        assert!(err.message.starts_with("json: cannot unmarshal "), "{}", err.message);
    }
}

#[test]
fn requirements_built_directly_are_validated_like_upstream() {
    assert!(LabelRequirement::new("x3", LabelOperator::In, vec!["foo".into()]).is_ok());
    assert_eq!(
        LabelRequirement::new("x5", LabelOperator::Equals, vec!["bar".into(), "foo".into()]).unwrap_err(),
        "values: Invalid value: []string{\"bar\", \"foo\"}: exact-match compatibility requires one single value"
    );
    assert_eq!(
        LabelRequirement::new("x13", LabelOperator::GreaterThan, vec![]).unwrap_err(),
        "values: Invalid value: []string(nil): for 'Gt', 'Lt' operators, exactly one value is required"
    );
    assert_eq!(
        LabelRequirement::new("x17", LabelOperator::Equals, vec!["a b".into()]).unwrap_err(),
        format!("values[0][x17]: Invalid value: \"a b\": {VALUE_RULES}")
    );
}

#[test]
fn invalid_values_are_quoted_the_way_go_quotes_strings() {
    assert_eq!(go_quote("plain"), "\"plain\"");
    assert_eq!(go_quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
    assert_eq!(go_quote("\u{b}\u{c}\u{1}\u{7f}"), "\"\\v\\f\\x01\\x7f\"");
    assert_eq!(go_quote("é\u{a0}\u{200b}\u{e000}"), "\"é\\u00a0\\u200b\\ue000\"");
    assert_eq!(go_quote("\u{10ffff}😀"), "\"\\U0010ffff😀\"");
    assert_eq!(
        parse_err("x=a\u{b}b"),
        format!("unable to parse requirement: values[0][x]: Invalid value: \"a\\vb\": {VALUE_RULES}")
    );
}

/// A small deterministic generator of awkward selector text.
fn awkward_strings(seed: u64, count: usize) -> Vec<String> {
    const PIECES: &[&str] = &[
        "a", "b", "x", "in", "notin", "=", "==", "!", "!=", "(", ")", ",", " ", "\t", "\n", "\0", ">", "<", "1", "-",
        ".", "/", "\\", "é", "😀", "", "k8s.io/", "\u{b}",
    ];
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    (0..count)
        .map(|_| {
            let len = next() % 12;
            (0..len).map(|_| PIECES[next() % PIECES.len()]).collect()
        })
        .collect()
}

#[test]
fn parsing_arbitrary_text_never_panics_and_printed_forms_parse_back_identically() {
    let labels = set(&[("a", "b"), ("x", "1"), ("in", "")]);
    for s in awkward_strings(7, 20_000) {
        if let Ok(sel) = LabelSelector::parse(&s) {
            let printed = sel.to_string();
            let again = LabelSelector::parse(&printed).unwrap_or_else(|e| panic!("{s:?} -> {printed:?}: {e}"));
            assert_eq!(again.to_string(), printed, "{s:?}");
            assert_eq!(again.matches(&labels), sel.matches(&labels), "{s:?}");
        }
    }
}
