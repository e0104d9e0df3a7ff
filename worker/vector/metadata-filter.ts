import { VECTORIZE_LIMITS, VectorizeContractError, utf8Length } from "./vectorize-limits";

type Scalar = string | number | boolean | null;
type Operator = "$eq" | "$ne" | "$lt" | "$lte" | "$gt" | "$gte" | "$in" | "$nin";
const OPERATORS = new Set<Operator>(["$eq", "$ne", "$lt", "$lte", "$gt", "$gte", "$in", "$nin"]);

/** One checked condition of a filter: `property op value`. */
export interface FilterCondition {
  property: string;
  operator: Operator;
  value: Scalar | Scalar[];
}

/**
 * Checks a Vectorize metadata filter and turns it into a list of conditions (all must hold).
 * `{ a: "x" }` is shorthand for `{ a: { $eq: "x" } }`; several operators on one property are ANDed.
 *
 * @example
 * parseMetadataFilter({ lang: "en", year: { $gte: 2020 } })
 */
export function parseMetadataFilter(filter: unknown): FilterCondition[] {
  if (filter === undefined) return [];
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
    throw new VectorizeContractError("QUERY", "filter must be an object of property names to values or operators.");
  }
  if (utf8Length(JSON.stringify(filter)) > VECTORIZE_LIMITS.maxFilterBytes) {
    throw new VectorizeContractError("QUERY", `filter is larger than ${VECTORIZE_LIMITS.maxFilterBytes} bytes of JSON.`);
  }
  const conditions: FilterCondition[] = [];
  for (const [property, condition] of Object.entries(filter as Record<string, unknown>)) {
    if (property === "" || property.startsWith("$") || property.includes('"')) {
      throw new VectorizeContractError("QUERY", `invalid filter property name ${JSON.stringify(property)}.`);
    }
    if (isScalar(condition)) {
      conditions.push({ property, operator: "$eq", value: condition });
      continue;
    }
    if (typeof condition !== "object" || Array.isArray(condition) || condition === null) {
      throw new VectorizeContractError("QUERY", `filter on "${property}" must be a string, number, boolean, null or an operator object.`);
    }
    const entries = Object.entries(condition as Record<string, unknown>);
    if (entries.length === 0) throw new VectorizeContractError("QUERY", `filter on "${property}" has no operator.`);
    for (const [operator, value] of entries) {
      if (!OPERATORS.has(operator as Operator)) {
        throw new VectorizeContractError("QUERY", `unsupported filter operator ${JSON.stringify(operator)} on "${property}"; use $eq $ne $lt $lte $gt $gte $in $nin.`);
      }
      if (operator === "$in" || operator === "$nin") {
        if (!Array.isArray(value) || value.length === 0 || !value.every(isScalar)) {
          throw new VectorizeContractError("QUERY", `${operator} on "${property}" needs a non-empty array of strings, numbers or booleans.`);
        }
      } else if (!isScalar(value)) {
        throw new VectorizeContractError("QUERY", `${operator} on "${property}" needs a string, number, boolean or null.`);
      } else if (["$lt", "$lte", "$gt", "$gte"].includes(operator) && (value === null || typeof value === "boolean")) {
        throw new VectorizeContractError("QUERY", `${operator} on "${property}" needs a string or a number.`);
      }
      conditions.push({ property, operator: operator as Operator, value: value as Scalar | Scalar[] });
    }
  }
  return conditions;
}

/**
 * Whether a vector's indexed metadata satisfies every condition. Properties that have no metadata
 * index are absent from `indexed`, so, as in Vectorize, they match no equality or range condition.
 */
export function matchesFilter(indexed: Readonly<Record<string, Scalar>>, conditions: readonly FilterCondition[]): boolean {
  for (const { property, operator, value } of conditions) {
    const actual = Object.prototype.hasOwnProperty.call(indexed, property) ? indexed[property]! : undefined;
    if (!matchesCondition(actual, operator, value)) return false;
  }
  return true;
}

function matchesCondition(actual: Scalar | undefined, operator: Operator, value: Scalar | Scalar[]): boolean {
  switch (operator) {
    case "$eq":
      return value === null ? actual === undefined || actual === null : actual === value;
    case "$ne":
      return value === null ? actual !== undefined && actual !== null : actual !== value;
    case "$in":
      return actual !== undefined && (value as Scalar[]).includes(actual);
    case "$nin":
      return !(value as Scalar[]).includes(actual ?? null);
    default: {
      if (actual === undefined || actual === null || typeof actual !== typeof value) return false;
      const a = actual as string | number;
      const b = value as string | number;
      if (operator === "$lt") return a < b;
      if (operator === "$lte") return a <= b;
      if (operator === "$gt") return a > b;
      return a >= b;
    }
  }
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}
