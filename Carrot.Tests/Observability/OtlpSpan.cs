namespace Carrot.Tests.Observability;

/// <summary>One exported span as <see cref="OtlpSpans"/> reads it; ids in lower-case hex, an empty parent for a root.</summary>
internal sealed record OtlpSpan(string Scope, string Name, string TraceId, string SpanId, string ParentSpanId, IReadOnlyList<string> AttributeKeys, IReadOnlyList<string> EventNames);
