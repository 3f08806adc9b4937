namespace MediaServer.Rtsp.Server;

internal enum SessionMode
{
    /// <summary>Created by SETUP; neither RECORD nor PLAY yet.</summary>
    Setup,
    Publish,
    Read,
}
