namespace Carrot.Handoff;

/// <summary>The caller's first frame: which protocol it speaks and the settings it would enqueue with.</summary>
internal sealed record HandoffHello(int Version, string Fingerprint)
{
    public const int CurrentVersion = 1;
}
