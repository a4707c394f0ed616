namespace Carrot.Tests.Packages;

/// <summary>Deletes the run's package feed when every test in this namespace has run.</summary>
[SetUpFixture]
public sealed class PackageFeedCleanup
{
    [OneTimeTearDown]
    public void DeleteFeed() => PackageFeed.DeleteIfPacked();
}
