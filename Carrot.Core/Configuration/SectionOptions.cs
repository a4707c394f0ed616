using Carrot.Errors;
using Microsoft.Extensions.Configuration;

namespace Carrot.Configuration;

/// <summary>
/// Binds an application's configuration section (appsettings.json, its environment-specific files, <c>Carrot__*</c>
/// variables: whatever the application's configuration holds) to <see cref="CarrotOptions"/>, with the keys of
/// carrot.json. The <c>CARROT_*</c> overrides and the checks are <see cref="CarrotConfiguration"/>'s, applied after this.
/// </summary>
internal static class SectionOptions
{
    public static CarrotOptions Bind(IConfiguration section, string baseFolder)
    {
        var where = section is IConfigurationSection named ? $"the configuration section '{named.Path}'" : "the application's configuration";
        var options = new CarrotOptions();
        try
        {
            section.Bind(options);
            BrokerListBinding.Apply(section, options, where);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new CarrotConfigurationException($"{where} is not valid: {e.Message} Fix the value, or leave the key out for its default.", e);
        }

        // As in a file, relative paths are the application's (its content root), not the process's working folder.
        if (!string.IsNullOrWhiteSpace(options.Database))
        {
            options.Database = DatabaseAddress.Resolve(options.Database, baseFolder);
        }

        options.TaskAssemblies = options.TaskAssemblies.Select(p => Path.GetFullPath(p, baseFolder)).ToList();
        options.EnqueueSocket = CarrotConfiguration.ResolveSocket(options.EnqueueSocket, baseFolder);
        options.Source = where;
        return options;
    }
}
