namespace MediaServer.Api;

/// <summary>A path's bit rates over the last sampling interval.</summary>
internal readonly record struct StreamRates(long BitsPerSecondIn, long BitsPerSecondOut);
