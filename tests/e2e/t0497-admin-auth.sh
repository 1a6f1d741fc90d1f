#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# common.security.adminAuthEnabled (contract §4.4, §10) in a 3.0 lab: with
# LABDIR/admin-auth holding root's "user:password", /management/stop and the
# WebUI's /api/v1/_* answer 401 without or with a wrong password and 403 to
# another user ({"msg": ...}); /management/check/ready and /healthz stay open.
# milvusadm reports the 401 as the auth error naming the profile keys to set,
# a wrong milvus.admin_password_file as refused credentials, and a stop drill
# goes through with milvus.admin_user / milvus.admin_password_file set.
set -u
. "$E2E_LIB"
E2E_DIR=$(dirname "$E2E_LIB")
. "$E2E_DIR/lib-etcd.sh"
e2e_init 127.146.0.0/24
M=$MILVUSADM
cfg=$XDG_CONFIG_HOME/milvusadm/config.yaml
qn=http://127.146.0.13:9091
px=http://127.146.0.15:9091

lab_up aa 127.146.0.0/24 --milvus 3.0 --etcd 1 --no-backup
lab=$(e2e_lab_dir aa)
echo 'root:s3cret' >"$lab/admin-auth"

code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
e2e_check "stop without credentials: 401" \
	test "$(code "$qn/management/stop?role=nosuch")" = 401
e2e_check "stop with a wrong password: 401" \
	test "$(code -u root:bad "$qn/management/stop?role=nosuch")" = 401
e2e_check "stop as another user: 403" \
	test "$(code -u bob:s3cret "$qn/management/stop?role=nosuch")" = 403
e2e_check "stop as root: the route itself answers (500, no such role)" \
	test "$(code -u root:s3cret "$qn/management/stop?role=nosuch")" = 500
e2e_check "the error body is {\"msg\": ...}" \
	sh -c "curl -s '$px/api/v1/_qc/replica' | grep -q '^{\"msg\": '"
e2e_check "/api/v1/_qc/replica as root: 200" \
	test "$(code -u root:s3cret "$px/api/v1/_qc/replica")" = 200
e2e_check "/management/check/ready stays open" \
	test "$(code "$qn/management/check/ready?role=querynode")" = 200
e2e_check "/healthz stays open" test "$(code "$qn/healthz")" = 200

printf 's3cret\n' >"$E2E_TMP/pw"
printf 'nope\n' >"$E2E_TMP/bad"
chmod 600 "$E2E_TMP/pw" "$E2E_TMP/bad"
cat >>"$cfg" <<EOC
    adm:
      etcd:
        endpoints: ["http://127.146.0.2:2379"]
      milvus:
        uri: "http://127.146.0.15:19530"
        admin_user: root
        admin_password_file: $E2E_TMP/pw
    badpw:
      etcd:
        endpoints: ["http://127.146.0.2:2379"]
      milvus:
        uri: "http://127.146.0.15:19530"
        admin_user: root
        admin_password_file: $E2E_TMP/bad
EOC

err=$E2E_TMP/err
"$M" -p lab-aa replicas >/dev/null 2>"$err"
e2e_check "replicas without credentials: the adminAuth error naming the keys" \
	grep -q 'requires authentication (common.security.adminAuthEnabled, HTTP 401): set milvus.admin_user and milvus.admin_password_file' "$err"
timeout 30 "$M" -p lab-aa drill run querynode --confirm querynode --backend stop \
	>/dev/null 2>"$err"
e2e_check "a stop drill without credentials: inject fails with the adminAuth error" \
	grep -q 'inject failed: stop failed: .*management/stop?role=querynode.*requires authentication' "$err"
timeout 30 "$M" -p badpw drill run querynode --confirm querynode --backend stop \
	>/dev/null 2>"$err"
e2e_check "a wrong admin password: refused credentials, and the password never shown" \
	sh -c "grep -q \"refused the credentials of milvus.admin_user 'root' (HTTP 401)\" '$err' && ! grep -q nope '$err'"
e2e_check "nothing was stopped so far" \
	sh -c "! grep -qh 'management/stop: stopping' '$lab'/logs/*.log"
# With credentials the stop goes through (the drill then waits for the
# cluster; its recovery is not what this test is about).
timeout 20 "$M" -p adm drill run querynode --confirm querynode --backend stop \
	>/dev/null 2>"$err"
e2e_check "with milvus.admin_user/admin_password_file the stop is accepted" \
	sh -c "! grep -q 'HTTP 40' '$err' && grep -qh 'management/stop: stopping querynode' '$lab'/logs/*.log"

rm -f "$lab/admin-auth"
e2e_check "admin-auth removed: adminAuth off again (the route answers)" \
	test "$(code "$qn/management/stop?role=nosuch")" = 500
lab_down aa
e2e_done
