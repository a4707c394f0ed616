using Carrot.Configuration;
using Carrot.Errors;

namespace Carrot.Diagnostics;

/// <summary>
/// <c>carrot doctor</c>: checks the configuration, the database, the broker and the task assemblies, and says for
/// each finding how to fix it. It reads and never writes: a missing database is reported, not created.
/// Nothing it returns holds the broker password.
/// </summary>
internal sealed class CarrotDoctor(Func<CarrotOptions> loadOptions)
{
    public async Task<IReadOnlyList<DiagnosticCheck>> RunAsync(CancellationToken cancellationToken)
    {
        var checks = new List<DiagnosticCheck>();
        CarrotOptions options;
        try
        {
            options = loadOptions();
        }
        catch (CarrotConfigurationException e)
        {
            checks.Add(DiagnosticCheck.Fail("config", e.Message, "Fix the configuration file (or CARROT_* variables); the other checks need it."));
            return checks;
        }

        var broker = BrokerAddressList.Parse(options.Broker);
        checks.AddRange(ConfigurationChecks.Run(options, broker));
        var database = DatabaseAddress.Parse(options.Database).IsPostgres
            ? await PostgresChecks.RunAsync(options, cancellationToken)
            : await DatabaseChecks.RunAsync(options, cancellationToken);
        checks.AddRange(database.Checks);
        checks.AddRange(await BrokerChecks.RunAsync(options, database.Workers, cancellationToken));
        checks.AddRange(TaskAssemblyChecks.Run(options));

        // A last guard: whatever a library put in a message, the password never leaves.
        return checks.Select(c => c with { Message = broker.Scrub(c.Message), Fix = c.Fix is null ? null : broker.Scrub(c.Fix) }).ToList();
    }
}
