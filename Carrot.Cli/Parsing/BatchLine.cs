using Carrot.Records;

namespace Carrot.Cli.Parsing;

/// <summary>One request of an <c>enqueue --batch</c> file, with the line it came from (1-based) for error messages.</summary>
internal sealed record BatchLine(int LineNumber, EnqueueRequest Request);
