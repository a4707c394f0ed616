using Carrot.Client;
using Carrot.Configuration;
using Carrot.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Carrot's producer side in an application's services.</summary>
public static class CarrotServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CarrotOptions"/> read from <paramref name="section"/> (the keys of carrot.json; relative
    /// paths from the content root; <c>CARROT_DATABASE</c>, <c>CARROT_BROKER</c> and <c>CARROT_TASK_ASSEMBLIES</c>
    /// still override), a <see cref="CarrotClientProvider"/>, and a <see cref="CarrotClient"/> that the host starts
    /// once (opening and migrating the database) before it serves requests. Inject <see cref="CarrotClient"/> where the
    /// host runs; outside a started host, await <see cref="CarrotClientProvider.GetClientAsync"/>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="section">Usually <c>configuration.GetSection("Carrot")</c>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddCarrot(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.TryAddSingleton(provider => CarrotConfiguration.FromSection(
            section,
            provider.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory(),
            Environment.GetEnvironmentVariable));
        services.TryAddSingleton<CarrotClientProvider>();
        services.TryAddSingleton(provider => provider.GetRequiredService<CarrotClientProvider>().HandStartedClientToContainer());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, CarrotClientStarter>());
        return services;
    }
}
