using Spectre.Console;
using Spectre.Console.Rendering;

namespace Carrot.Cli.Output;

/// <summary>
/// Human-readable output through Spectre.Console. On a terminal: colours, at the terminal's width. Piped (CI logs,
/// grep, awk): plain text without escape codes or trailing blanks, and a width of 200 columns so rows are not
/// folded to an imagined 80-column screen.
/// </summary>
internal sealed class TableWriter : IDisposable
{
    private const int RedirectedWidth = 200;

    private readonly IAnsiConsole _console;
    private readonly TextWriter _stdout;
    private readonly bool _redirected;

    // Piped output is rendered here first, so the padding Spectre adds at the end of each row can be trimmed.
    private readonly StringWriter _pipeBuffer = new();

    public TableWriter(TextWriter stdout)
    {
        _stdout = stdout;
        _redirected = Console.IsOutputRedirected;
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            // Detection alone may still emit ANSI when TERM is set but stdout is a pipe; scripts must get plain text.
            Ansi = _redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = _redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_redirected ? _pipeBuffer : stdout),
        });
        if (_redirected)
        {
            _console.Profile.Width = RedirectedWidth;
        }
    }

    /// <summary>
    /// A borderless table with upper-case headers, like kubectl or docker: it fits an 80-column terminal better
    /// than boxes, and piped it is one row per line for grep and awk.
    /// </summary>
    public static Table CreateTable(params string[] headers)
    {
        var table = new Table().NoBorder();
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))).PadLeft(0).PadRight(2));
        }

        return table;
    }

    /// <summary>Label/value rows for one record (<c>tasks show</c>).</summary>
    public static Grid CreateGrid()
    {
        var grid = new Grid();
        grid.AddColumn(new GridColumn().NoWrap().PadRight(2));
        grid.AddColumn(new GridColumn());
        return grid;
    }

    /// <summary>Adds a row; strings become plain <see cref="Text"/>, so user data is never parsed as Spectre markup.</summary>
    public static void AddRow(Table table, params IRenderable[] cells) => table.AddRow(cells);

    public static void AddRow(Table table, params string[] cells) => table.AddRow(cells.Select(c => (IRenderable)new Text(c)).ToArray());

    public static void AddField(Grid grid, string label, string value, Style? style = null) =>
        grid.AddRow(new Text(label, new Style(decoration: Decoration.Bold)), new Text(value, style ?? Style.Plain));

    public void Write(IRenderable renderable)
    {
        _console.Write(renderable);
        FlushPipe();
    }

    /// <summary>A line of plain text; user data is never parsed as markup.</summary>
    public void WriteLine(string text = "", Style? style = null)
    {
        _console.Write(new Text(text, style ?? Style.Plain));
        _console.WriteLine();
        FlushPipe();
    }

    public void Dispose() => _pipeBuffer.Dispose();

    private void FlushPipe()
    {
        if (!_redirected)
        {
            return;
        }

        var rendered = _pipeBuffer.ToString();
        _pipeBuffer.GetStringBuilder().Clear();
        var lines = rendered.Split('\n');
        var count = rendered.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            _stdout.WriteLine(lines[i].TrimEnd());
        }
    }
}
