//! The `formseal` command line: a thin layer over the library.
//!
//! Exit codes: 0 no errors (warnings allowed); 1 the data (or an identifier) has errors;
//! 2 a usage error, a bad definition, or data that cannot be read.

use std::io::{self, Read, Write};

use lexopt::ValueExt;
use std::process::ExitCode;

use formseal::forms::{self, BUILTINS};
use formseal::{check_identifier, parse_data, Form, IdentifierKind, Locale, Report, Severity, Timestamp};
use serde_json::{json, Value};

#[cfg(feature = "serve")]
mod serve;

const USAGE: &str = "\
formseal: check Chinese network-security filing forms

Usage:
  formseal forms
  formseal schema <form-id>
  formseal example <form-id> [--invalid]
  formseal validate <form-id | definition.json> <data.json | -> [--now RFC3339] [--locale zh-CN|en] [--format json|text]
  formseal check <kind> [--] [<value>...]      (values from stdin, one per line, when none are given)
  formseal keygen --alg ed25519|es256|sm2 [--kid KID]
  formseal seal <form-id | definition.json> <data.json | -> --key private.jwk [--now RFC3339] [--ttl DURATION] [--locale zh-CN|en]
  formseal verify <envelope.json | -> --keys keys.json [--now RFC3339] [--skew DURATION] [--form definition.json]...
  formseal serve [--addr 127.0.0.1:8080] [--data DIR | --store sqlite:PATH | --store postgres://…] [--www DIR] [--pkg DIR]   (feature `serve`)

Identifier kinds: uscc, org-code, resident-id, domain, email, url, phone, mobile, ip,
                  psb-filing-number, icp-number

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error or unreadable input.
";

enum Failure {
    /// Exit 2 with a message on stderr.
    Usage(String),
    /// `--help` or `-h` after a command: the usage on stdout, exit 0.
    Help,
}

impl From<lexopt::Error> for Failure {
    fn from(e: lexopt::Error) -> Self {
        Failure::Usage(e.to_string())
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            let _ = writeln!(io::stderr(), "formseal: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Help) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
    }
}

fn run() -> Result<ExitCode, Failure> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let command = match parser.next()? {
        Some(Value(v)) => v.string()?,
        Some(Long("help")) | Some(Short('h')) | None => {
            print!("{USAGE}");
            return Ok(ExitCode::SUCCESS);
        }
        Some(Long("version")) => {
            println!("formseal {}", env!("CARGO_PKG_VERSION"));
            return Ok(ExitCode::SUCCESS);
        }
        Some(other) => return Err(other.unexpected().into()),
    };
    match command.as_str() {
        "forms" => forms_command(parser),
        "schema" => schema_command(parser),
        "example" => example_command(parser),
        "validate" => validate_command(parser),
        "check" => check_command(parser),
        "keygen" => keygen_command(parser),
        "seal" => seal_command(parser),
        "verify" => verify_command(parser),
        #[cfg(feature = "serve")]
        "serve" => serve::command(parser),
        #[cfg(not(feature = "serve"))]
        "serve" => {
            Err(Failure::Usage("this formseal was built without the receiver; build with `--features serve`".into()))
        }
        "help" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(Failure::Usage(format!("unknown command {other:?}; see `formseal --help`"))),
    }
}

fn print_json(value: &impl serde::Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Failure::Usage(e.to_string()))?;
    let mut out = io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = writeln!(out, "{text}");
    Ok(())
}

/// Collects `want` positional arguments; options go to `flags` by long name, which says whether
/// it knew the option.
fn positionals<const N: usize>(
    mut parser: lexopt::Parser,
    flags: &mut dyn FnMut(&mut lexopt::Parser, &str) -> Result<bool, Failure>,
) -> Result<[String; N], Failure> {
    use lexopt::prelude::*;
    let mut values = Vec::new();
    while let Some(arg) = parser.next()? {
        let name = match arg {
            Value(v) => {
                values.push(v.string()?);
                continue;
            }
            Long("help") | Short('h') => return Err(Failure::Help),
            Long(name) => name.to_owned(),
            Short(c) => c.to_string(),
        };
        if !flags(&mut parser, &name)? {
            return Err(Failure::Usage(format!("unexpected option --{name}; see `formseal --help`")));
        }
    }
    let got = values.len();
    values.try_into().map_err(|_| Failure::Usage(format!("expected {N} argument(s), got {got}; see `formseal --help`")))
}

fn forms_command(parser: lexopt::Parser) -> Result<ExitCode, Failure> {
    let [] = positionals::<0>(parser, &mut |_, _| Ok(false))?;
    let mut list = Vec::new();
    for b in BUILTINS {
        let form = Form::builtin(b.id).map_err(|e| Failure::Usage(e.to_string()))?;
        list.push(json!({ "id": form.id(), "version": form.version(), "title": form.title() }));
    }
    print_json(&list)?;
    Ok(ExitCode::SUCCESS)
}

fn builtin_or_fail(id: &str) -> Result<&'static forms::Builtin, Failure> {
    forms::builtin(id).ok_or_else(|| {
        let known: Vec<&str> = BUILTINS.iter().map(|b| b.id).collect();
        Failure::Usage(format!("no built-in form {id:?}; known forms: {}", known.join(", ")))
    })
}

fn schema_command(parser: lexopt::Parser) -> Result<ExitCode, Failure> {
    let [id] = positionals(parser, &mut |_, _| Ok(false))?;
    let b = builtin_or_fail(&id)?;
    let value: Value = serde_json::from_str(b.definition).map_err(|e| Failure::Usage(e.to_string()))?;
    print_json(&value)?;
    Ok(ExitCode::SUCCESS)
}

fn example_command(parser: lexopt::Parser) -> Result<ExitCode, Failure> {
    let mut invalid = false;
    let [id] = positionals(parser, &mut |_, arg| {
        Ok(match arg {
            "invalid" => {
                invalid = true;
                true
            }
            _ => false,
        })
    })?;
    let b = builtin_or_fail(&id)?;
    let text = if invalid { b.invalid_example() } else { b.valid_example() };
    let value: Value = serde_json::from_str(text).map_err(|e| Failure::Usage(e.to_string()))?;
    print_json(&value)?;
    Ok(ExitCode::SUCCESS)
}

/// What the CLI reads, with the most bytes of it that it accepts: more is refused whole with a
/// clear error, never cut short (a cut envelope would fail as bad JSON, a cut list of values
/// would be checked in part).
#[derive(Clone, Copy)]
struct Bound {
    what: &'static str,
    limit: usize,
    code: &'static str,
}

/// A data document: [`formseal::limits::MAX_DATA_BYTES`], the library's own code.
const DATA: Bound = Bound { what: "a data document", limit: formseal::limits::MAX_DATA_BYTES, code: "data_too_large" };
/// A form definition: [`formseal::limits::MAX_DEFINITION_BYTES`], the library's own code.
const DEFINITION: Bound =
    Bound { what: "a form definition", limit: formseal::limits::MAX_DEFINITION_BYTES, code: "schema_too_large" };
/// An envelope: what the strict parser (and the receiver) accepts, 4 MiB.
const ENVELOPE: Bound = Bound { what: "an envelope", limit: formseal::seal::jcs::MAX_BYTES, code: "input_too_large" };
/// A JWK or key set file.
const KEY_FILE: Bound = Bound { what: "a key file", limit: formseal::limits::MAX_DATA_BYTES, code: "input_too_large" };
/// The values `check` reads from stdin, all lines together.
const CHECK_VALUES: Bound =
    Bound { what: "the values to check", limit: formseal::limits::MAX_DATA_BYTES, code: "input_too_large" };

/// Reads `path` (`-`: stdin) whole, refusing more than `bound.limit` bytes.
fn read_input(path: &str, bound: Bound) -> Result<Vec<u8>, Failure> {
    let take = u64::try_from(bound.limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut bytes = Vec::new();
    let result = if path == "-" {
        io::stdin().lock().take(take).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(take).read_to_end(&mut bytes))
    };
    let name = if path == "-" { "stdin" } else { path };
    result.map_err(|e| Failure::Usage(format!("cannot read {name}: {e}")))?;
    if bytes.len() > bound.limit {
        return Err(Failure::Usage(format!(
            "{name}: more than {} bytes, the limit for {}; nothing was read (code {})",
            bound.limit, bound.what, bound.code
        )));
    }
    Ok(bytes)
}

fn parse_now(text: &str) -> Result<Timestamp, Failure> {
    formseal::time::parse_instant(text).ok_or_else(|| {
        Failure::Usage(format!("--now {text:?} is not an RFC 3339 date-time (e.g. 2005-06-01T10:00:00+08:00)"))
    })
}

fn parse_locale(text: &str) -> Result<Locale, Failure> {
    Locale::parse(text).ok_or_else(|| Failure::Usage(format!("--locale {text:?}: use zh-CN or en")))
}

fn validate_command(parser: lexopt::Parser) -> Result<ExitCode, Failure> {
    let (mut now, mut locale, mut text_format) = (None, Locale::ZhCn, false);
    let [form_arg, data_arg] = positionals(parser, &mut |p, arg| {
        Ok(match arg {
            "now" => {
                now = Some(parse_now(&p.value()?.string()?)?);
                true
            }
            "locale" => {
                locale = parse_locale(&p.value()?.string()?)?;
                true
            }
            "format" => {
                text_format = match p.value()?.string()?.as_str() {
                    "text" => true,
                    "json" => false,
                    other => return Err(Failure::Usage(format!("--format {other:?}: use json or text"))),
                };
                true
            }
            _ => false,
        })
    })?;
    let form = if forms::builtin(&form_arg).is_some() {
        Form::builtin(&form_arg)
    } else if form_arg.ends_with(".json") || std::path::Path::new(&form_arg).exists() {
        let bytes = read_input(&form_arg, DEFINITION)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Failure::Usage(format!("{form_arg}: the definition is not UTF-8 text")))?;
        Form::compile(&text)
    } else {
        return Err(builtin_or_fail(&form_arg).err().unwrap_or_else(|| Failure::Usage("unknown form".into())));
    };
    let form = form.map_err(|e| Failure::Usage(format!("{} (code {})", e, e.code())))?;
    let data =
        parse_data(&read_input(&data_arg, DATA)?).map_err(|e| Failure::Usage(format!("{} (code {})", e, e.code())))?;
    // The one place the clock is read: the CLI is the system's edge.
    let now = now.unwrap_or_else(Timestamp::now);
    let report = form.validate(&data, now, locale);
    if text_format {
        print_text(&form, &report, locale);
    } else {
        print_json(&report)?;
    }
    Ok(if report.valid { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn print_text(form: &Form, report: &Report, locale: Locale) {
    let zh = locale == Locale::ZhCn;
    let mut out = String::new();
    let title = form.title().get(locale);
    let c = &report.counts;
    if zh {
        out.push_str(&format!("{title}（{} {}），校验时间 {}\n", report.form.id, report.form.version, report.now));
        let verdict = if report.valid { "通过" } else { "不通过" };
        out.push_str(&format!("结果：{verdict}（{} 个错误，{} 个警告，{} 条提示）\n", c.errors, c.warnings, c.infos));
    } else {
        out.push_str(&format!("{title} ({} {}), checked at {}\n", report.form.id, report.form.version, report.now));
        let verdict = if report.valid { "valid" } else { "not valid" };
        out.push_str(&format!(
            "Result: {verdict} (errors: {}, warnings: {}, notes: {})\n",
            c.errors, c.warnings, c.infos
        ));
    }
    for f in &report.findings {
        let severity = match (f.severity, zh) {
            (Severity::Error, true) => "错误",
            (Severity::Warning, true) => "警告",
            (Severity::Info, true) => "提示",
            (Severity::Error, false) => "error",
            (Severity::Warning, false) => "warning",
            (Severity::Info, false) => "note",
        };
        let path = if f.path.is_empty() { "-" } else { f.path.as_str() };
        out.push_str(&format!("  {severity:<7} {path}  {} [{}]\n", f.message, f.code));
        if let Some(b) = &f.basis {
            out.push_str(&format!("          {}{}\n", if zh { "依据：" } else { "Basis: " }, b.text));
        }
    }
    let _ = io::stdout().lock().write_all(out.as_bytes());
}

fn check_command(parser: lexopt::Parser) -> Result<ExitCode, Failure> {
    use lexopt::prelude::*;
    let mut parser = parser;
    let mut locale = Locale::ZhCn;
    let mut kind = None;
    let mut values = Vec::new();
    let mut now = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Long("locale") => locale = parse_locale(&parser.value()?.string()?)?,
            Long("now") => now = Some(parse_now(&parser.value()?.string()?)?),
            Long("help") | Short('h') => return Err(Failure::Help),
            Value(v) if kind.is_none() => {
                let name = v.string()?;
                kind = Some(IdentifierKind::parse(&name).ok_or_else(|| {
                    Failure::Usage(format!("unknown identifier kind {name:?}; see `formseal --help`"))
                })?);
            }
            Value(v) => values.push(v.string()?),
            other => return Err(other.unexpected().into()),
        }
    }
    let kind = kind.ok_or_else(|| Failure::Usage("`check` needs an identifier kind; see `formseal --help`".into()))?;
    if values.is_empty() {
        let bytes = read_input("-", CHECK_VALUES)?;
        let text = String::from_utf8(bytes).map_err(|_| Failure::Usage("stdin: not UTF-8 text".into()))?;
        values.extend(text.lines().filter(|line| !line.trim().is_empty()).map(str::to_owned));
    }
    let today = formseal::ident::Today::of(now.unwrap_or_else(Timestamp::now));
    let mut all_valid = true;
    let mut out = io::stdout().lock();
    for value in values {
        let report = check_identifier(kind, &value, Some(today)).report(locale);
        all_valid &= report.valid;
        let line = serde_json::to_string(&report).map_err(|e| Failure::Usage(e.to_string()))?;
        let _ = writeln!(out, "{line}");
    }
    Ok(if all_valid { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn random_bytes<const N: usize>() -> Result<[u8; N], Failure> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| Failure::Usage(format!("no random source: {e}")))?;
    Ok(bytes)
}

fn parse_duration(text: &str) -> Result<formseal::SignedDuration, Failure> {
    text.parse::<formseal::SignedDuration>()
        .map_err(|_| Failure::Usage(format!("{text:?} is not a duration (e.g. 24h, 30m, PT24H)")))
}

fn load_form(arg: &str) -> Result<Form, Failure> {
    let form = if forms::builtin(arg).is_some() {
        Form::builtin(arg)
    } else if arg.ends_with(".json") || std::path::Path::new(arg).exists() {
        let bytes = read_input(arg, DEFINITION)?;
        let text =
            String::from_utf8(bytes).map_err(|_| Failure::Usage(format!("{arg}: the definition is not UTF-8 text")))?;
        Form::compile(&text)
    } else {
        return Err(builtin_or_fail(arg).err().unwrap_or_else(|| Failure::Usage("unknown form".into())));
    };
    form.map_err(|e| Failure::Usage(format!("{} (code {})", e, e.code())))
}

fn read_json(path: &str) -> Result<serde_json::Value, Failure> {
    let bytes = read_input(path, KEY_FILE)?;
    let text = String::from_utf8(bytes).map_err(|_| Failure::Usage(format!("{path}: not UTF-8 text")))?;
    formseal::seal::jcs::parse_strict(&text).map_err(|e| Failure::Usage(format!("{path}: {e}")))
}

fn keygen_command(parser: lexopt::Parser) -> Result<ExitCode, Failure> {
    use formseal::seal::keys::{Algorithm, GenerateError, PrivateKey};
    let (mut alg, mut kid) = (None, None);
    let [] = positionals::<0>(parser, &mut |p, name| {
        Ok(match name {
            "alg" => {
                let v = p.value()?.string()?;
                alg = Some(match v.to_ascii_lowercase().as_str() {
                    "ed25519" | "eddsa" => Algorithm::EdDSA,
                    "es256" | "p-256" | "p256" => Algorithm::Es256,
                    "sm2" | "sm2-sm3" => Algorithm::Sm2Sm3,
                    _ => return Err(Failure::Usage(format!("--alg {v:?}: use ed25519, es256 or sm2"))),
                });
                true
            }
            "kid" => {
                kid = Some(p.value()?.string()?);
                true
            }
            _ => false,
        })
    })?;
    let alg = alg.ok_or_else(|| Failure::Usage("keygen needs --alg ed25519|es256|sm2".into()))?;
    let kid = match kid {
        Some(k) => k,
        None => formseal::seal::b64::encode(&random_bytes::<9>()?),
    };
    let key = PrivateKey::generate(alg, Some(kid), &mut |seed| getrandom::fill(seed)).map_err(|e| match e {
        GenerateError::Random(e) => Failure::Usage(format!("no random source: {e}")),
        GenerateError::Key(e) => Failure::Usage(e.to_string()),
    })?;
    print_json(&key.to_jwk())?;
    Ok(ExitCode::SUCCESS)
}

fn seal_command(parser: lexopt::Parser) -> Result<ExitCode, Failure> {
    use formseal::seal::envelope::{seal, Refusal, SealOptions};
    use formseal::seal::keys::PrivateKey;
    let (mut key_path, mut now, mut ttl, mut locale) =
        (None, None, formseal::SignedDuration::from_hours(24), Locale::ZhCn);
    let [form_arg, data_arg] = positionals(parser, &mut |p, name| {
        Ok(match name {
            "key" => {
                key_path = Some(p.value()?.string()?);
                true
            }
            "now" => {
                now = Some(parse_now(&p.value()?.string()?)?);
                true
            }
            "ttl" => {
                ttl = parse_duration(&p.value()?.string()?)?;
                true
            }
            "locale" => {
                locale = parse_locale(&p.value()?.string()?)?;
                true
            }
            _ => false,
        })
    })?;
    let key_path = key_path.ok_or_else(|| Failure::Usage("seal needs --key private.jwk".into()))?;
    let key = PrivateKey::from_jwk(&read_json(&key_path)?)
        .map_err(|e| Failure::Usage(format!("{key_path}: {e} (code {})", e.code())))?;
    let form = load_form(&form_arg)?;
    let data =
        parse_data(&read_input(&data_arg, DATA)?).map_err(|e| Failure::Usage(format!("{} (code {})", e, e.code())))?;
    let options = SealOptions { now: now.unwrap_or_else(Timestamp::now), ttl, nonce: random_bytes::<16>()?, locale };
    match seal(&form, &data, &key, &options) {
        Ok(envelope) => {
            print_json(&envelope)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(Refusal::Invalid(report)) => {
            print_json(&report)?;
            let _ = writeln!(io::stderr(), "formseal: the data has errors; nothing was sealed");
            Ok(ExitCode::from(1))
        }
        Err(Refusal::Error(e)) => Err(Failure::Usage(e.to_string())),
    }
}

fn verify_command(parser: lexopt::Parser) -> Result<ExitCode, Failure> {
    use formseal::seal::envelope::{verify, VerifyOptions};
    let (mut keys_path, mut now, mut skew, mut extra_forms) =
        (None, None, formseal::SignedDuration::from_mins(5), Vec::new());
    let [envelope_arg] = positionals(parser, &mut |p, name| {
        Ok(match name {
            "keys" => {
                keys_path = Some(p.value()?.string()?);
                true
            }
            "now" => {
                now = Some(parse_now(&p.value()?.string()?)?);
                true
            }
            "skew" => {
                let text = p.value()?.string()?;
                skew = parse_duration(&text)?;
                if skew.is_negative() {
                    return Err(Failure::Usage(format!(
                        "--skew {text:?}: the allowed clock skew cannot be negative (0s allows none)"
                    )));
                }
                true
            }
            "form" => {
                extra_forms.push(p.value()?.string()?);
                true
            }
            _ => false,
        })
    })?;
    let keys_path =
        keys_path.ok_or_else(|| Failure::Usage("verify needs --keys keys.json (a JWKS or one public JWK)".into()))?;
    let keys = formseal::seal::keys::key_set(&read_json(&keys_path)?)
        .map_err(|e| Failure::Usage(format!("{keys_path}: {e} (code {})", e.code())))?;
    let mut custom = Vec::new();
    for path in &extra_forms {
        let bytes = read_input(path, DEFINITION)?;
        let text = String::from_utf8(bytes).map_err(|_| Failure::Usage(format!("{path}: not UTF-8")))?;
        custom.push(Form::compile(&text).map_err(|e| Failure::Usage(format!("{path}: {e}")))?);
    }
    let envelope = String::from_utf8(read_input(&envelope_arg, ENVELOPE)?)
        .map_err(|_| Failure::Usage("the envelope is not UTF-8".into()))?;
    let builtin = std::cell::OnceCell::new();
    let form_for = |id: &str, version: &str| -> Option<&Form> {
        custom.iter().find(|f| f.id() == id && f.version() == version).or_else(|| {
            let form = Form::builtin(id).ok().filter(|f| f.version() == version)?;
            Some(builtin.get_or_init(|| form))
        })
    };
    let options = VerifyOptions { now: now.unwrap_or_else(Timestamp::now), max_skew: skew };
    match verify(&envelope, &keys, &options, &form_for) {
        Ok(verified) => {
            print_json(&verified.payload)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let _ = writeln!(io::stderr(), "formseal: not verified: {e}");
            Ok(ExitCode::from(1))
        }
    }
}
