namespace MyLib;

public sealed record FileReport(string Path, int Bitrate, int Milliseconds);
