// Every public name of `formseal`, used as a portal's TypeScript would, for `tsc --strict`
// (tests/js/types.test.mjs). Lines marked @ts-expect-error must stay errors: they prove that
// `Locale`, `FindingCode` and the signer's types are narrow, not `string` or `any`.
import {
  FormValidator, checkIdentifier, digestAttachment, forms, generateKey, isFormsealError, verify,
} from "formseal";
import type {
  AttachmentDigests, CheckOptions, DeadlineOverride, Envelope, ExternalSigner, FieldDescription, Finding,
  FindingCode, FormDescription, FormInput, FormSummary, FormValue, FormsealError, IdentifierKind,
  IdentifierResult, Jwk, KeyPair, KeySet, Locale, Payload, Report, SealAlgorithm, SealOptions, SealResult,
  Severity, Signer, StandardIssue, StandardResult, ValidateOptions, ValidatorOptions, Verified, VerifyOptions,
} from "formseal";
import type { StandardSchemaV1 } from "@standard-schema/spec";

const summaries: FormSummary[] = forms();
const deadline: DeadlineOverride = { by: "2005-07-15" };
const options: ValidatorOptions = { locale: "en", deadlines: { website_campaign: deadline } };
const validator: FormValidator = FormValidator.builtin(summaries[0]?.id ?? "user-filing", options);
const custom = FormValidator.fromDefinition({ id: "x", version: "1.0.0", fields: [] });
const label: string = `${validator.id}@${validator.version} ${custom.id}`;

const input: FormInput = { name: "陈晓东", age: 30, ticked: true, when: new Date(), list: ["a", null], nested: { x: undefined } };
const value: FormValue = input["name"];
const validateOptions: ValidateOptions = { now: "2005-06-01T10:00:00+08:00", locale: "zh-CN" };
const report: Report = validator.validate(input, validateOptions);
const first: Finding | undefined = report.findings[0];
const code: FindingCode | undefined = first?.code;
const severity: Severity | undefined = first?.severity;
const onlyErrors: Finding[] = validator.validateField("principal.mobile", value, input, { now: new Date() });
const description: FormDescription = validator.describe("en");
const fields: FieldDescription[] = description.fields;
const locale: Locale = report.locale;

// @ts-expect-error: Locale is "zh-CN" | "en", not any string.
validator.validate(input, { locale: "fr" });
// @ts-expect-error: a finding code is one of the codes, not any string.
const notACode: FindingCode = "no_such_code";

const kind: IdentifierKind = "uscc";
const checkOptions: CheckOptions = { locale: "en" };
const identifier: IdentifierResult = checkIdentifier(kind, "91110000600037341L", checkOptions);

const pair: KeyPair = generateKey("EdDSA", "k1");
const algorithm: SealAlgorithm = "SM2-SM3";
const digests: AttachmentDigests = digestAttachment(new DataView(new ArrayBuffer(4)));
digestAttachment(new Uint16Array(2));
digestAttachment(new ArrayBuffer(0));

// An external signer whose key never enters the module; sign may return an ArrayBuffer.
declare const hardware: { sign(bytes: BufferSource): Promise<ArrayBuffer> };
const external: ExternalSigner = { alg: "EdDSA", kid: "k1", publicKey: pair.publicKey, sign: (bytes) => hardware.sign(bytes) };
const signers: Signer[] = [pair.privateKey, external];
const sealOptions: SealOptions = { ttl: "24h", now: new Date() };
const sealed: Promise<SealResult> = validator.seal(input, external, sealOptions);
const keys: KeySet = [pair.publicKey];
const verifyOptions: VerifyOptions = { maxSkew: 300, definitions: [] };

async function receive(envelope: Envelope | string): Promise<Payload | FormsealError> {
  const result = await sealed;
  if (result.sealed) console.log(result.envelope.signature, result.payload.nonce);
  try {
    const verified: Verified = verify(envelope, keys, verifyOptions);
    const jwk: Jwk = pair.publicKey;
    return { ...verified.payload, generator: { name: jwk.kid ?? "", version: "" } };
  } catch (e: unknown) {
    if (isFormsealError(e)) return e;                       // narrowed: e.code, e.path
    throw e;
  }
}

// Standard Schema v1: a FormValidator is a StandardSchemaV1 for any library that takes one.
const schema: StandardSchemaV1<FormInput, { [field: string]: unknown }> = validator;
const standard: StandardResult = validator["~standard"].validate(input);
if (standard.issues) {
  const issue: StandardIssue | undefined = standard.issues[0];
  console.log(issue?.message, issue?.path, issue?.code);
} else {
  console.log(standard.value);
}

// Freeing: free(), or `using` where the lib has esnext.disposable.
validator[Symbol.dispose]();
custom.free();

console.log(label, report, code, severity, onlyErrors, fields, locale, notACode, identifier, algorithm, digests,
  signers, schema, receive);
