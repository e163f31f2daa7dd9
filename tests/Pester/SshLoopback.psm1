# A throwaway OpenSSH server on the loopback addresses, for real PowerShell remoting in the tests (issue #16).
# It listens on 127.0.0.1 and 127.0.0.2 (two "hosts", each seen as its own PSComputerName) on a free port, with a host
# key and a user key made for the run, and PowerShell's `powershell` subsystem running this pwsh with -sshs. Nothing
# outside its temporary folder is touched except /run/sshd, which sshd requires when started as root.
# When sshd cannot be started the functions throw with the reason: the tests then fail, they are never skipped.

function Find-Sshd {
    $found = Get-Command sshd -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($found) { return $found.Source }
    foreach ($candidate in '/usr/sbin/sshd', '/usr/local/sbin/sshd') { if (Test-Path $candidate) { return $candidate } }
    throw 'sshd was not found: install the OpenSSH server (Debian: apt-get install openssh-server; build.ps1 test does it when run as root).'
}

function Get-FreeLoopbackPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Test-TcpOpen([string] $Address, [int] $Port) {
    $client = [System.Net.Sockets.TcpClient]::new()
    try { $client.ConnectAsync($Address, $Port).Wait(500) -and $client.Connected }
    catch { $false }
    finally { $client.Dispose() }
}

<#
.SYNOPSIS
    Starts sshd on 127.0.0.1 and 127.0.0.2 and returns what a session needs: Hosts, Port, UserName, KeyFilePath.
#>
function Start-LoopbackSshd {
    param([string] $SshdPath)
    $sshd = $SshdPath ? $SshdPath : (Find-Sshd)
    if (-not (Test-Path -LiteralPath $sshd -PathType Leaf)) { throw "sshd was not found at '$sshd'." }
    if (-not (Get-Command ssh-keygen -ErrorAction Ignore)) { throw 'ssh-keygen was not found: install the OpenSSH client (Debian: openssh-client).' }
    if (-not (Get-Command ssh -ErrorAction Ignore)) { throw 'ssh was not found: PowerShell''s SSH remoting needs the OpenSSH client (Debian: openssh-client).' }
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('kmps-sshd-' + [guid]::NewGuid().ToString('N').Substring(0, 12))
    New-Item -ItemType Directory -Path $folder | Out-Null
    try {
        foreach ($key in 'host_key', 'user_key') {
            & ssh-keygen -q -t ed25519 -N '' -C "kmps-test-$key" -f (Join-Path $folder $key) | Out-Null
            if ($LASTEXITCODE) { throw "ssh-keygen failed ($LASTEXITCODE) making $key." }
        }
        Copy-Item (Join-Path $folder 'user_key.pub') (Join-Path $folder 'authorized_keys')
        # Running as root, sshd insists on its privilege-separation folder; it is empty and harmless.
        if (-not $IsWindows -and (& id -u) -eq '0') { New-Item -ItemType Directory -Force -Path '/run/sshd' | Out-Null }

        $port = Get-FreeLoopbackPort
        # pwsh as a dotnet tool is an apphost that finds the runtime through DOTNET_ROOT; sshd gives the subsystem
        # a bare environment, so it is passed on.
        $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
        # The runtime this pwsh runs on lives in <root>/shared/Microsoft.NETCore.App/<version>/, whichever host started
        # it (`dotnet pwsh`, or the apphost $PSHOME/pwsh, whose own folder is not the root).
        $runtime = [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
        $dotnetRoot = Split-Path (Split-Path (Split-Path ([System.IO.Path]::TrimEndingDirectorySeparator($runtime))))
        $config = Join-Path $folder 'sshd_config'
        @(
            "ListenAddress 127.0.0.1:$port"
            "ListenAddress 127.0.0.2:$port"
            "HostKey $folder/host_key"
            "PidFile $folder/sshd.pid"
            "AuthorizedKeysFile $folder/authorized_keys"
            'PubkeyAuthentication yes'
            'PasswordAuthentication no'
            'KbdInteractiveAuthentication no'
            'PermitRootLogin prohibit-password'
            # The keys live in a temporary folder whose modes sshd's strict checks would refuse.
            'StrictModes no'
            'UsePAM no'
            "SetEnv DOTNET_ROOT=$dotnetRoot"
            "Subsystem powershell $pwsh -sshs -NoLogo -NoProfile"
        ) | Set-Content -LiteralPath $config -Encoding utf8NoBOM
        $check = & $sshd -t -f $config 2>&1
        if ($LASTEXITCODE) { throw "sshd refused its configuration: $check" }

        $log = Join-Path $folder 'sshd.log'
        $process = Start-Process -FilePath $sshd -ArgumentList '-D', '-e', '-f', $config -PassThru -RedirectStandardError $log
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        while (-not ((Test-TcpOpen 127.0.0.1 $port) -and (Test-TcpOpen 127.0.0.2 $port))) {
            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                $reason = (Get-Content -LiteralPath $log -ErrorAction Ignore) -join "`n"
                if (-not $process.HasExited) { $process | Stop-Process -Force }
                throw "sshd did not start listening on 127.0.0.1/127.0.0.2:$port. Its log: $reason"
            }
            Start-Sleep -Milliseconds 100
        }
        [pscustomobject]@{
            Hosts       = @('127.0.0.1', '127.0.0.2')
            Port        = $port
            UserName    = [Environment]::UserName
            KeyFilePath = Join-Path $folder 'user_key'
            Folder      = $folder
            Process     = $process
            LogPath     = $log
        }
    }
    catch {
        Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction Ignore
        throw
    }
}

<#
.SYNOPSIS
    Opens one PowerShell session per host name on the loopback sshd (host keys are not recorded anywhere), in the
    order of -HostName: New-PSSession opens them side by side and returns them as they connect.
#>
function New-LoopbackSession {
    param([Parameter(Mandatory)] $Sshd, [string[]] $HostName = $Sshd.Hosts)
    $options = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
    try {
        $sessions = New-PSSession -HostName $HostName -Port $Sshd.Port -UserName $Sshd.UserName -KeyFilePath $Sshd.KeyFilePath -Options $options -ErrorAction Stop
        foreach ($name in $HostName) { $sessions | Where-Object ComputerName -eq $name }
    }
    catch {
        $log = (Get-Content -LiteralPath $Sshd.LogPath -Tail 20 -ErrorAction Ignore) -join "`n"
        throw "Could not open a session to $($HostName -join ', ') on port $($Sshd.Port): $($_.Exception.Message) sshd's log ends: $log"
    }
}

<#
.SYNOPSIS
    Stops the sshd and removes its keys, configuration and log.
#>
function Stop-LoopbackSshd {
    param($Sshd)
    if (-not $Sshd) { return }
    if (-not $Sshd.Process.HasExited) {
        $Sshd.Process | Stop-Process -Force
        $Sshd.Process.WaitForExit(10000) | Out-Null
    }
    Remove-Item -LiteralPath $Sshd.Folder -Recurse -Force -ErrorAction Ignore
}

Export-ModuleMember -Function Start-LoopbackSshd, New-LoopbackSession, Stop-LoopbackSshd
