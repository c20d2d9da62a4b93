package lifeline

import (
	"os/exec"
	"syscall"
)

// KillWithParent asks the kernel to SIGKILL cmd's process when the thread that starts it exits, so a
// child never outlives a plugin that is itself killed with SIGKILL. Start cmd from a goroutine locked
// to its OS thread (runtime.LockOSThread) that lives as long as the plugin does.
func KillWithParent(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}
