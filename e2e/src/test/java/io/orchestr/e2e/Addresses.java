package io.orchestr.e2e;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Optional;

/** This machine's addresses, for tests of what a process serves beyond the loopback interface. */
final class Addresses {
    private Addresses() {
    }

    /** An IPv4 address of an interface of this machine that is up and not the loopback, if any. */
    static Optional<InetAddress> nonLoopback() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(Addresses::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
    }

    private static boolean isUp(NetworkInterface network) {
        try {
            return network.isUp() && !network.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
