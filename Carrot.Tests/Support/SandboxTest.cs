namespace Carrot.Tests.Support;

/// <summary>Base for tests that each get a fresh <see cref="CarrotSandbox"/> (own database, config and vhost).</summary>
public abstract class SandboxTest
{
    private CarrotSandbox? _sandbox;

    internal CarrotSandbox Sandbox => _sandbox ?? throw new InvalidOperationException("The sandbox exists only while a test runs.");

    [SetUp]
    public async Task CreateSandboxAsync() => _sandbox = await CarrotSandbox.CreateAsync();

    [TearDown]
    public async Task DisposeSandboxAsync()
    {
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
            _sandbox = null;
        }
    }
}
