using System.CommandLine;
using System.Reflection;
using System.Runtime.CompilerServices;
using Carrot.Cli.Output;
using Carrot.Cli.Output.Views;
using Carrot.Cli.Parsing;
using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Kallables;

namespace Carrot.Cli.Commands;

/// <summary>
/// <c>carrot kallables list</c>: what can be enqueued. Core's "unknown kallable" message points here. Loads the
/// task assemblies (the only command besides enqueue that does) and never opens the database.
/// </summary>
internal sealed class KallablesCommand : Command
{
    /// <summary>The command's name, which <see cref="CommandTree"/> looks for among the arguments.</summary>
    public const string CommandName = "kallables";

    private readonly CliContext _context;

    public KallablesCommand(CliContext context)
        : base(CommandName, "List what can be enqueued: public methods of the configured task assemblies.")
    {
        _context = context;
        var json = CliOptions.Json();
        var list = new Command("list", "List every kallable with the signature its args and kwargs bind against.") { json };
        context.Help.Add(list, $"""
            Task assemblies come from "taskAssemblies" in the configuration file or {CarrotConfiguration.TaskAssembliesVariable}.

            Examples:
              carrot kallables list
              CARROT_TASK_ASSEMBLIES=/opt/app/MyLib.dll carrot kallables list --json | jq -r '.[].name'
            """);
        list.SetAction(parseResult =>
        {
            var options = _context.LoadOptions(parseResult);
            if (options.TaskAssemblies.Count == 0)
            {
                throw new CarrotConfigurationException($"No task assemblies are configured. Set \"taskAssemblies\" in the configuration file or {CarrotConfiguration.TaskAssembliesVariable}.");
            }

            var kallables = KallableCatalog.Load(options.TaskAssemblies).All()
                .Where(k => IsTaskLike(k.Method))
                .Select(k => new KallableView(k.Name, ArgumentBinder.Signature(k.Method), k.Method.DeclaringType?.Assembly.GetName().Name ?? ""))
                .ToList();
            if (parseResult.GetValue(json))
            {
                _context.Json.Write<IReadOnlyList<KallableView>>(kallables);
                return ExitCodes.Ok;
            }

            using var tables = _context.CreateTables();
            var table = TableWriter.CreateTable("KALLABLE", "SIGNATURE", "ASSEMBLY");
            foreach (var kallable in kallables)
            {
                TableWriter.AddRow(table, kallable.Name, kallable.Signature, kallable.Assembly);
            }

            tables.Write(table);
            return ExitCodes.Ok;
        });
        Subcommands.Add(list);
    }

    // The catalogue lists every public method; compiler-generated members (records' Clone, Deconstruct, ...) and
    // object's Equals/GetHashCode/ToString are technically callable but never tasks, and would bury the real ones.
    private static bool IsTaskLike(MethodInfo method) =>
        !method.Name.StartsWith('<')
        && !method.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false)
        && method.GetBaseDefinition().DeclaringType != typeof(object)
        && !method.GetParameters().Any(p => p.ParameterType.IsByRef)
        && !(method.Name == "Equals" && method.GetParameters().Length == 1 && method.GetParameters()[0].ParameterType == method.DeclaringType);
}
