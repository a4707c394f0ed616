using Carrot.Errors;

namespace Carrot.Kallables;

/// <summary>
/// <c>Namespace.Type.Method</c>, nested types joined with <c>+</c>. Only the syntax is checked here; whether it
/// names a method of a task assembly is the catalogue's question.
/// </summary>
internal sealed record KallableName(string TypeName, string MethodName)
{
    private static readonly string[] FrameworkPrefixes = ["System.", "Microsoft.", "Carrot.", "Internal.", "Interop."];

    public override string ToString() => $"{TypeName}.{MethodName}";

    public static KallableName Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CarrotInputException("The kallable is empty. Name a method as Namespace.Type.Method, e.g. MyLib.Jobs.Bark.");
        }

        var dot = text.LastIndexOf('.');
        if (dot <= 0 || dot == text.Length - 1 || !text.All(IsNameChar) || text.Contains("..", StringComparison.Ordinal))
        {
            throw new CarrotInputException($"'{InputEcho.Shorten(text)}' is not a kallable name. Name a public method as Namespace.Type.Method (nested types with '+'), e.g. MyLib.Jobs.Bark.");
        }

        if (FrameworkPrefixes.Any(p => text.StartsWith(p, StringComparison.Ordinal)))
        {
            throw new CarrotInputException($"'{InputEcho.Shorten(text)}' is not a task: only public methods of the configured task assemblies can run, never framework or Carrot code.");
        }

        return new KallableName(text[..dot], text[(dot + 1)..]);
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '.' or '+';
}
