using Microsoft.Extensions.Logging;

namespace MyLib;

/// <summary>An instance task: carrotd creates it through dependency injection, so it can take an ILogger.</summary>
public sealed class Greeter(ILogger<Greeter> logger)
{
    public async Task<string> Greet(string name, CancellationToken cancellationToken)
    {
        logger.LogInformation("Greeting {Name}", name);
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return $"Hello, {name}!";
    }
}
